package cogniforge_test

import (
	"fmt"

	"cogniforge.dev/cogniforge"
)

// The version of the C library loaded at run time matches the headers the binding was built against.
func ExampleVersion() {
	fmt.Println(cogniforge.Version() == cogniforge.HeaderVersion())
	fmt.Println(cogniforge.VersionNumber() >= 100)
	// Output:
	// true
	// true
}

func ExampleSHA256() {
	sum, err := cogniforge.SHA256([]byte("abc"))
	if err != nil {
		panic(err)
	}
	fmt.Printf("%x\n", sum)
	// Output: ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
}

func ExampleSummarizeFile() {
	_, err := cogniforge.SummarizeFile(nil, "/nonexistent/adult.data.gz")
	fmt.Println(cogniforge.IsErrorCode(err, cogniforge.ErrNotFound))
	// Output: true
}

// A table built from Go values, validated with an inline suite.
func ExampleValidateTable() {
	t, err := cogniforge.NewTable(nil)
	if err != nil {
		panic(err)
	}
	defer t.Close()
	if err := t.AddInt64("age", []int64{25, 38, 17, 52, 140}, nil); err != nil {
		panic(err)
	}
	if err := t.AddStrings("sex", []string{"Male", "Female", "", "Female", "female"},
		[]bool{true, true, false, true, true}); err != nil {
		panic(err)
	}
	suite, err := cogniforge.ParseSuite([]byte(`{"name": "people", "expectations": [
		{"type": "expect_column_values_to_be_between",
		 "kwargs": {"column": "age", "min_value": 0, "max_value": 120, "mostly": 0.8}},
		{"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "sex", "value_set": ["Female", "Male"]}}
	]}`), "people.json")
	if err != nil {
		panic(err)
	}
	defer suite.Close()
	res, err := cogniforge.ValidateTable(nil, t, suite, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println("success:", res.Success)
	for _, e := range res.Results {
		fmt.Printf("%s %s: success=%v unexpected=%d missing=%d\n", e.Type, e.Column, e.Success, e.UnexpectedCount,
			e.MissingCount)
	}
	// Output:
	// success: false
	// expect_column_values_to_be_between age: success=true unexpected=1 missing=0
	// expect_column_values_to_be_in_set sex: success=false unexpected=1 missing=1
}

// A column filled in place, in C memory: no copy is made.
func ExampleTable_AddFloat64Column() {
	t, err := cogniforge.NewTable(nil)
	if err != nil {
		panic(err)
	}
	defer t.Close() // also keeps t, and so the slice's memory, alive until the end
	x, err := t.AddFloat64Column("x", 4)
	if err != nil {
		panic(err)
	}
	for i := range x {
		x[i] = float64(i) * 1.5
	}
	st, err := cogniforge.NewStats(nil)
	if err != nil {
		panic(err)
	}
	defer st.Close()
	if err := st.Update(t); err != nil {
		panic(err)
	}
	c, _ := st.Column(0)
	fmt.Println(c.Name, c.Count, c.Sum, c.Max)
	// Output: x 4 9 4.5
}
