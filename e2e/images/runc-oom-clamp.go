// runc-oom-clamp runs runc, first raising a negative process.oomScoreAdj in the bundle's config.json to this
// process's own score. This sandbox lacks CAP_SYS_RESOURCE, so runc cannot lower a score: the pause container asks
// for -998 and runc fails with "can't get final child's PID from pipe: EOF". containerd's CRI has
// restrict_oom_score_adj for this; docker has no such setting, so dockerd runs runc through this program.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

const runc = "/usr/bin/runc"

func main() {
	if bundle, ok := bundleOf(os.Args[1:]); ok {
		if err := clamp(filepath.Join(bundle, "config.json")); err != nil {
			fmt.Fprintf(os.Stderr, "runc-oom-clamp: %v\n", err)
			os.Exit(1)
		}
	}
	err := syscall.Exec(runc, append([]string{runc}, os.Args[1:]...), os.Environ())
	fmt.Fprintf(os.Stderr, "runc-oom-clamp: exec %s: %v\n", runc, err)
	os.Exit(1)
}

// bundleOf finds the bundle of `runc create` or `runc run` (`--bundle DIR`, `-b DIR` or `--bundle=DIR`).
func bundleOf(args []string) (string, bool) {
	creates := false
	bundle := ""
	for i, a := range args {
		switch {
		case a == "create" || a == "run":
			creates = true
		case (a == "--bundle" || a == "-b") && i+1 < len(args):
			bundle = args[i+1]
		case strings.HasPrefix(a, "--bundle="):
			bundle = strings.TrimPrefix(a, "--bundle=")
		}
	}
	return bundle, creates && bundle != ""
}

func clamp(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var spec map[string]json.RawMessage
	if err := json.Unmarshal(raw, &spec); err != nil {
		return err
	}
	var process map[string]json.RawMessage
	if err := json.Unmarshal(spec["process"], &process); err != nil || process["oomScoreAdj"] == nil {
		return nil
	}
	var asked int
	if err := json.Unmarshal(process["oomScoreAdj"], &asked); err != nil {
		return err
	}
	own, err := ownScore()
	if err != nil || asked >= own {
		return err
	}
	process["oomScoreAdj"] = json.RawMessage(strconv.Itoa(own))
	if spec["process"], err = json.Marshal(process); err != nil {
		return err
	}
	out, err := json.Marshal(spec)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o600)
}

func ownScore() (int, error) {
	b, err := os.ReadFile("/proc/self/oom_score_adj")
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}
