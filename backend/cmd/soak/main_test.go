package main

import (
	"io"
	"strings"
	"testing"
)

func TestChooseStores(t *testing.T) {
	withDSN := func(k string) string {
		if k == "IDCARD_TEST_MYSQL_DSN" {
			return "root@tcp(127.0.0.1:3306)/x"
		}
		return ""
	}
	none := func(string) string { return "" }
	cases := []struct {
		name, spec string
		getenv     func(string) string
		want       string // stores joined by ",", or "error"
	}{
		{"AutoEmbeddedOnly", "auto", none, "embedded"},
		{"AutoBoth", "auto", withDSN, "embedded,mysql"},
		{"MySQLNeedsDSN", "mysql", none, "error"},
		{"Listed", "mysql, embedded", withDSN, "mysql,embedded"},
		{"Unknown", "sqlite", none, "error"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := chooseStores(c.spec, c.getenv)
			s := strings.Join(got, ",")
			if err != nil {
				s = "error"
			}
			if s != c.want {
				t.Fatalf("chooseStores(%q) = %q (%v), want %q", c.spec, s, err, c.want)
			}
		})
	}
}

func TestParseFlags(t *testing.T) {
	o, err := parseFlags([]string{"-workers", "3"}, io.Discard)
	if err != nil || o.kills != 20 || o.persons != 12 {
		t.Fatalf("defaults: %+v, %v", o, err)
	}
	for _, args := range [][]string{{"-up-min", "2s", "-up-max", "1s"}, {"-workers", "4", "-persons", "2"}, {"-kills", "-1"}, {"extra"}} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
