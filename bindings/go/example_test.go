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
