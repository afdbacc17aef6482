package tc3test_test

import (
	"testing"

	"github.com/gzga/idcard/backend/internal/tc3test"
)

// TestSignDocumentedExample: tc3test's own TC3-HMAC-SHA256 gives the
// signature of the worked example in Tencent Cloud's API 3.0 signing guide
// (CVM DescribeInstances at 1551113065), so it checks the documented
// algorithm rather than whatever the SDK does.
func TestSignDocumentedExample(t *testing.T) {
	t.Parallel()
	const payload = `{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`
	got := tc3test.Sign("Gu5t9xGARNpq86cd98joQYCN3*******", "cvm", "POST",
		"content-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n", "content-type;host",
		[]byte(payload), "1551113065", "2019-02-25")
	if want := "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"; got != want {
		t.Fatalf("signature %s, want the documented %s", got, want)
	}
}
