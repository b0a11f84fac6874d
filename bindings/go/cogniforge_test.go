package cogniforge

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestVersionMatchesHeader(t *testing.T) {
	if got, want := Version(), HeaderVersion(); got != want {
		t.Fatalf("Version() = %q, headers say CF_VERSION_STRING = %q", got, want)
	}
	if got, want := VersionNumber(), HeaderVersionNumber; got != want {
		t.Fatalf("VersionNumber() = %d, headers say CF_VERSION_NUMBER = %d", got, want)
	}
	if VersionNumber() < 100 {
		t.Fatalf("VersionNumber() = %d, want >= 100", VersionNumber())
	}
	var major, minor, patch int
	if _, err := fmt.Sscanf(Version(), "%d.%d.%d", &major, &minor, &patch); err != nil {
		t.Fatalf("Version() = %q is not MAJOR.MINOR.PATCH: %v", Version(), err)
	}
	if n := major*10000 + minor*100 + patch; n != VersionNumber() {
		t.Fatalf("Version() %q gives %d, VersionNumber() = %d", Version(), n, VersionNumber())
	}
}

func TestFeatures(t *testing.T) {
	f := Features()
	if f&FeatureThreads == 0 || !HasFeature(FeatureThreads) {
		t.Fatalf("Features() = %#x lacks FeatureThreads", f)
	}
	t.Logf("features %#x: cuda=%v zstd=%v gzip=%v", f, HasFeature(FeatureCUDA), HasFeature(FeatureZstd),
		HasFeature(FeatureGzip))
}

func TestCUDADevices(t *testing.T) {
	n := CUDADeviceCount()
	if n < 0 {
		t.Fatalf("CUDADeviceCount() = %d", n)
	}
	if n == 0 && HasFeature(FeatureCUDA) {
		t.Log("built with CUDA but no device is usable")
	}
	for i := 0; i < n; i++ {
		d, err := CUDADeviceInfo(i)
		if err != nil {
			t.Fatalf("CUDADeviceInfo(%d): %v", i, err)
		}
		if d.Name == "" || d.TotalMemory == 0 || d.ComputeMajor <= 0 {
			t.Errorf("CUDADeviceInfo(%d) = %+v looks empty", i, d)
		}
		t.Logf("device %d: %+v", i, d)
	}
	_, err := CUDADeviceInfo(n)
	want := ErrNotFound
	if !HasFeature(FeatureCUDA) {
		want = ErrUnsupported
	}
	if !IsErrorCode(err, want) {
		t.Fatalf("CUDADeviceInfo(%d) error = %v, want code %v", n, err, want)
	}
}

func TestContextCPU(t *testing.T) {
	ctx, err := NewContext(&ContextOptions{Device: DeviceCPU})
	if err != nil {
		t.Fatal(err)
	}
	if d := ctx.Device(); d != DeviceCPU {
		t.Errorf("Device() = %v, want cpu", d)
	}
	if n := ctx.Threads(); n < 1 {
		t.Errorf("Threads() = %d, want >= 1", n)
	}
	if err := ctx.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ctx.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := SummarizeFile(ctx, "/dev/null"); !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("SummarizeFile on a closed context: %v, want ErrInvalid", err)
	}
}

func TestContextDefaultsAndThreads(t *testing.T) {
	for _, opts := range []*ContextOptions{nil, {}, {Threads: 3}} {
		ctx, err := NewContext(opts)
		if err != nil {
			t.Fatalf("NewContext(%+v): %v", opts, err)
		}
		if d := ctx.Device(); d == DeviceAuto {
			t.Errorf("NewContext(%+v).Device() = auto, want a resolved device", opts)
		}
		if opts != nil && opts.Threads > 0 && ctx.Threads() != opts.Threads {
			t.Errorf("Threads() = %d, want %d", ctx.Threads(), opts.Threads)
		}
		ctx.Close()
	}
}

func TestContextInvalidOptions(t *testing.T) {
	for _, opts := range []*ContextOptions{{Threads: -1}, {DeviceIndex: -1}, {Device: Device(42)}} {
		ctx, err := NewContext(opts)
		if err == nil {
			ctx.Close()
			t.Fatalf("NewContext(%+v) succeeded", opts)
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != ErrInvalid || e.Message == "" {
			t.Fatalf("NewContext(%+v) error = %#v, want *Error ErrInvalid with a message", opts, err)
		}
	}
}

func TestContextCUDA(t *testing.T) {
	ctx, err := NewContext(&ContextOptions{Device: DeviceCUDA})
	if CUDADeviceCount() == 0 {
		if !IsErrorCode(err, ErrUnsupported) || !errors.Is(err, ErrUnsupported) {
			t.Fatalf("NewContext(cuda) with no device: %v, want ErrUnsupported", err)
		}
		if !strings.Contains(err.Error(), "cuda") {
			t.Errorf("message %q does not mention cuda", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("NewContext(cuda) with %d device(s): %v", CUDADeviceCount(), err)
	}
	defer ctx.Close()
	if d := ctx.Device(); d != DeviceCUDA {
		t.Fatalf("Device() = %v, want cuda", d)
	}
}

func TestErrorType(t *testing.T) {
	err := error(&Error{Code: ErrFormat, Message: "x.csv: line 3"})
	wrapped := fmt.Errorf("loading: %w", err)
	if !IsErrorCode(wrapped, ErrFormat) || IsErrorCode(wrapped, ErrIO) || IsErrorCode(nil, ErrFormat) {
		t.Fatal("IsErrorCode does not see through wrapping")
	}
	if !errors.Is(wrapped, ErrFormat) || errors.Is(wrapped, ErrNotFound) {
		t.Fatal("errors.Is with an ErrorCode target")
	}
	if got := err.Error(); !strings.Contains(got, "x.csv: line 3") || !strings.Contains(got, "CF_EFORMAT") {
		t.Fatalf("Error() = %q", got)
	}
	codes := map[ErrorCode]string{ErrGeneric: "CF_ERROR", ErrInvalid: "CF_EINVAL", ErrNoMemory: "CF_ENOMEM",
		ErrIO: "CF_EIO", ErrFormat: "CF_EFORMAT", ErrNotFound: "CF_ENOTFOUND",
		ErrUnsupported: "CF_EUNSUPPORTED", ErrVersion: "CF_EVERSION", ErrorCode(-99): "CF_UNKNOWN"}
	for c, name := range codes {
		if c.String() != name {
			t.Errorf("ErrorCode(%d).String() = %q, want %q", int(c), c.String(), name)
		}
	}
	want := []ErrorCode{-1, -2, -3, -4, -5, -6, -7, -8}
	got := []ErrorCode{ErrGeneric, ErrInvalid, ErrNoMemory, ErrIO, ErrFormat, ErrNotFound, ErrUnsupported, ErrVersion}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("code %d = %d, want %d", i, got[i], want[i])
		}
	}
}

func TestSHA256(t *testing.T) {
	big := bytes.Repeat([]byte("cogniforge\n"), 100000)
	for _, in := range [][]byte{nil, {}, []byte("a"), []byte("abc"), {0, 0, 0}, big, big[1:777]} {
		got, err := SHA256(in)
		if err != nil {
			t.Fatalf("SHA256(%d bytes): %v", len(in), err)
		}
		if want := sha256.Sum256(in); got != want {
			t.Fatalf("SHA256(%d bytes) = %x, want %x", len(in), got, want)
		}
	}
}

func TestSummarizeMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no-such-file.csv")
	_, err := SummarizeFile(nil, path)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %#v, want *Error", err)
	}
	if e.Code != ErrNotFound || !IsErrorCode(err, ErrNotFound) {
		t.Fatalf("code = %v, want ErrNotFound", e.Code)
	}
	if !strings.Contains(e.Message, path) {
		t.Fatalf("message %q does not name %q", e.Message, path)
	}
}

func writeGzip(t *testing.T, path string, data []byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

const sampleText = "age,workclass,income\n39,State-gov,<=50K\n\n50,Self-emp,>50K\n   \n38,Private,<=50K"

func TestSummarizeGzip(t *testing.T) {
	ctx, err := NewContext(&ContextOptions{Device: DeviceCPU})
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	path := filepath.Join(t.TempDir(), "adult.data.gz")
	writeGzip(t, path, []byte(sampleText))

	s, err := SummarizeFile(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte(sampleText))
	want := FileSummary{Bytes: uint64(len(sampleText)), Lines: 6, BlankLines: 2, Compression: "gzip",
		SHA256: digest, SHA256Hex: hex.EncodeToString(digest[:])}
	if s != want {
		t.Fatalf("summary = %+v\nwant      %+v", s, want)
	}
}

func TestSummarizePlain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plain.txt")
	if err := os.WriteFile(path, []byte("a\nb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := SummarizeFile(nil, path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Lines != 2 || s.Bytes != 4 || s.Compression != "none" {
		t.Fatalf("summary = %+v", s)
	}
}

// largeText is about 1 MiB of varied CSV, so that its gzip stream is several of the library's 64 KiB
// read blocks long and damage in the middle is met while reading, not while opening.
func largeText() []byte {
	rng := rand.New(rand.NewSource(1))
	var b bytes.Buffer
	for b.Len() < 1<<20 {
		fmt.Fprintf(&b, "%d,%d,%d\n", rng.Intn(100000), rng.Intn(1000), rng.Intn(10))
	}
	return b.Bytes()
}

// truncatedGzip writes the first half of a large gzip file: corrupt (truncated) data met mid-stream.
func truncatedGzip(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "truncated.gz")
	writeGzip(t, path, largeText())
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// garbledGzip writes a gzip file whose header is intact and whose deflate stream is garbage from the start.
func garbledGzip(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "garbled.gz")
	writeGzip(t, path, bytes.Repeat([]byte(sampleText+"\n"), 200))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 12; i < len(b)-8; i++ { // keep the 10-byte header, garble the deflate stream
		b[i] ^= 0x5a
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSummarizeCorruptGzip(t *testing.T) {
	dir := t.TempDir()
	t.Run("truncated", func(t *testing.T) {
		path := truncatedGzip(t, dir)
		_, err := SummarizeFile(nil, path)
		if !IsErrorCode(err, ErrFormat) {
			t.Fatalf("error = %v, want ErrFormat", err)
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("message %q does not name %q", err, path)
		}
	})
	t.Run("garbled-at-start", func(t *testing.T) {
		path := garbledGzip(t, dir)
		_, err := SummarizeFile(nil, path)
		if !IsErrorCode(err, ErrFormat) {
			t.Fatalf("error = %v, want ErrFormat", err)
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("message %q does not name %q", err, path)
		}
	})
}

// Each goroutine's failing call must report its own path: the error record is thread-local, and the
// binding reads it on the thread that made the call.
func TestErrorsPerThreadUnderConcurrency(t *testing.T) {
	dir := t.TempDir()
	const goroutines, rounds = 16, 200
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				path := filepath.Join(dir, fmt.Sprintf("missing-%d-%d.csv", g, i))
				_, err := SummarizeFile(nil, path)
				var e *Error
				if !errors.As(err, &e) || e.Code != ErrNotFound || !strings.Contains(e.Message, path) {
					errs <- fmt.Errorf("goroutine %d round %d: got %v, want ErrNotFound naming %s", g, i, err, path)
					return
				}
				if i%7 == 0 {
					runtime.Gosched()
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestReader(t *testing.T) {
	ctx, err := NewContext(nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	data := bytes.Repeat([]byte(sampleText+"\n"), 5000) // several of the library's 64 KiB read blocks
	path := filepath.Join(dir, "big.csv.gz")
	writeGzip(t, path, data)

	r, err := OpenReader(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Compression() != "gzip" {
		t.Errorf("Compression() = %q", r.Compression())
	}
	// Closing the context while the reader is open defers the free until the reader is closed.
	ctx.Close()
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes, want %d identical bytes", len(got), len(data))
	}
	if n, err := r.Read(make([]byte, 10)); n != 0 || err != io.EOF {
		t.Fatalf("Read after EOF = %d, %v", n, err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := r.Read(make([]byte, 10)); !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("Read after Close: %v, want ErrInvalid", err)
	}

	if _, err := OpenReader(nil, filepath.Join(dir, "missing")); !IsErrorCode(err, ErrNotFound) {
		t.Fatalf("OpenReader(missing): %v, want ErrNotFound", err)
	}
	r, err = OpenReader(nil, truncatedGzip(t, dir))
	if err == nil {
		defer r.Close()
		_, err = io.ReadAll(r)
	}
	if !IsErrorCode(err, ErrFormat) {
		t.Fatalf("reading a corrupt gzip: %v, want ErrFormat", err)
	}
}

// Unreferenced wrappers are freed by their finalizers without crashing (run under -race or ASan to see more).
func TestFinalizers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.txt")
	if err := os.WriteFile(path, []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		ctx, err := NewContext(&ContextOptions{Device: DeviceCPU})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := OpenReader(ctx, path); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.GC()
}

func TestCUDABackendError(t *testing.T) {
	reason := CUDABackendError()
	if !HasFeature(FeatureCUDA) && !strings.Contains(reason, "without CUDA") {
		t.Errorf("built without CUDA but reason is %q", reason)
	}
	if reason != "" && CUDADeviceCount() != 0 {
		t.Errorf("backend unavailable (%q) yet %d devices", reason, CUDADeviceCount())
	}
}
