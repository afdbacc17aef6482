package sms

import (
	"fmt"
	"strings"
)

// The SMS templates the service sends, by name. The text of each is
// approved by the gateway and configured there; the service knows only
// each one's id (IDCARD_SMS_TEMPLATES) and what its placeholders hold.
const (
	TemplateCode     = "code"     // {1} sign-in code, {2} minutes it stays valid
	TemplateStatus   = "status"   // {1} case number, {2} short status text
	TemplatePickup   = "pickup"   // {1} case number, {2} last day to collect the card
	TemplateIdentity = "identity" // {1} date the identity was bound to another account
)

// TemplateParams returns how many parameters template name takes, and
// false for a name the service does not send.
func TemplateParams(name string) (int, bool) {
	switch name {
	case TemplateCode, TemplateStatus, TemplatePickup:
		return 2, true
	case TemplateIdentity:
		return 1, true
	}
	return 0, false
}

// TemplateNames lists every template the service sends.
func TemplateNames() []string {
	return []string{TemplateCode, TemplateStatus, TemplatePickup, TemplateIdentity}
}

// Templates maps each template name to the gateway's template id.
type Templates map[string]string

// ParseTemplates reads "code=123,status=456,pickup=789,identity=101": every
// template the service sends, each once, with a numeric id.
func ParseTemplates(s string) (Templates, error) {
	t := Templates{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, id, ok := strings.Cut(part, "=")
		name, id = strings.TrimSpace(name), strings.TrimSpace(id)
		if !ok || name == "" || id == "" {
			return nil, fmt.Errorf("%q is not name=id", part)
		}
		if _, known := TemplateParams(name); !known {
			return nil, fmt.Errorf("unknown template %q (want %s)", name, strings.Join(TemplateNames(), ", "))
		}
		if strings.Trim(id, "0123456789") != "" {
			return nil, fmt.Errorf("template %s: id %q is not a number", name, id)
		}
		if _, dup := t[name]; dup {
			return nil, fmt.Errorf("template %s given twice", name)
		}
		t[name] = id
	}
	for _, name := range TemplateNames() {
		if _, ok := t[name]; !ok {
			return nil, fmt.Errorf("template %s is missing", name)
		}
	}
	return t, nil
}
