package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// benchLine is one result line of `go test -bench -benchmem`.
type benchLine struct {
	n                     int
	nsOp, bytesOp, allocs float64
}

// runGoBench is scenario 5: the allocation benchmarks of
// handler_bench_test.go, run by `go test` from the module root.
func runGoBench(benchtime string) (map[string]benchLine, error) {
	goBin := goTool()
	root, err := exec.Command(goBin, "env", "GOMOD").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOMOD: %w", err)
	}
	dir := filepath.Dir(strings.TrimSpace(string(root)))
	cmd := exec.Command(goBin, "test", "-run", "^$", "-bench", ".", "-benchmem", "-benchtime", benchtime, "-count", "1", "./bench/")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("go test -bench: %w\n%s", err, out)
	}
	res := map[string]benchLine{}
	for line := range strings.SplitSeq(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 8 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			name = name[:i] // the -GOMAXPROCS suffix
		}
		var b benchLine
		b.n, _ = strconv.Atoi(f[1])
		for i := 2; i+1 < len(f); i += 2 {
			v, _ := strconv.ParseFloat(f[i], 64)
			switch f[i+1] {
			case "ns/op":
				b.nsOp = v
			case "B/op":
				b.bytesOp = v
			case "allocs/op":
				b.allocs = v
			}
		}
		res[name] = b
	}
	if len(res) == 0 {
		return nil, fmt.Errorf("no benchmark lines in:\n%s", out)
	}
	return res, nil
}

// goTool finds the go command: on PATH, else the toolchain that built us.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}
