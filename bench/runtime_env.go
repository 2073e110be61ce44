package main

import (
	"os"
	"strings"
)

// serverRuntimeDefaults mirrors tuneRuntime in the repository root
// (runtime_tuning.go): the GC settings the server runs with unless its
// environment says otherwise. The service child is this binary, not the
// server's, so the harness hands it the same settings through its
// environment. Keep the two in step.
const serverRuntimeDefaults = "GOGC=200 GOMEMLIMIT=48MiB"

// serviceEnv turns -service-env into environment entries, leaving out any
// variable the harness's own environment already sets (non-empty), as
// tuneRuntime does; GOGC=off there also drops the default memory limit.
func serviceEnv(spec string) []string {
	var env []string
	for kv := range strings.FieldsSeq(spec) {
		k, _, _ := strings.Cut(kv, "=")
		if os.Getenv(k) != "" || (k == "GOMEMLIMIT" && os.Getenv("GOGC") == "off") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// serviceRuntimeLine says which GC settings the service child ran with.
func serviceRuntimeLine(spec string) string {
	var parts []string
	for _, k := range []string{"GOGC", "GOMEMLIMIT"} {
		v := os.Getenv(k)
		for _, kv := range serviceEnv(spec) {
			if after, ok := strings.CutPrefix(kv, k+"="); ok {
				v = after
			}
		}
		if v == "" {
			v = "(Go default)"
		}
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, " ")
}
