package store

import (
	"context"
	"fmt"
	"strings"
)

// sealedColumn is one encrypted column: the purpose its values are sealed
// for and, when it has one, its blind index column.
type sealedColumn struct {
	enc, purpose, bidx string
}

// sealedTables lists every column that holds personal data at rest, by
// table: what `idcard pii rotate` rewrites.
var sealedTables = []struct {
	table string
	cols  []sealedColumn
}{
	{"persons", []sealedColumn{{"id_number_enc", purposeIDNumber, "id_number_bidx"}, {"address_enc", purposeAddress, ""}}},
	{"applicants", []sealedColumn{{"phone_enc", purposePhone, "phone_bidx"}}},
	{"cases", []sealedColumn{{"mail_recipient_enc", purposeMailRecipient, ""}, {"mail_phone_enc", purposeMailPhone, ""}, {"mail_address_enc", purposeMailAddress, ""}}},
	{"staff", []sealedColumn{{"otp_secret_enc", purposeOTPSecret, ""}}},
}

// RotateProgress is what RotatePII reports after each batch.
type RotateProgress struct {
	Table     string
	Checked   int64 // rows of this table read so far
	Rewritten int64 // rows of this table rewritten so far
	LastID    int64 // the highest id done: a rerun may start after it
}

// RotatePII re-encrypts every personal-data value that the box does not
// write now (another key or another algorithm) under its current key and
// suite, and rewrites the blind indexes with it, batch rows at a time in
// id order, one transaction per batch. Rows already current are skipped
// without decrypting, so a run that was interrupted is resumed by running
// it again. Each row is updated only if its values are still the ones read
// (a concurrent writer's newer value is left alone). progress, when not
// nil, is called after every batch.
func (s *Store) RotatePII(ctx context.Context, batch int, progress func(RotateProgress)) (rewritten int64, err error) {
	if batch <= 0 {
		batch = 500
	}
	prefix := s.box.Prefix()
	for _, t := range sealedTables {
		p := RotateProgress{Table: t.table}
		for {
			var rows []map[string]any
			cols := []string{"id"}
			for _, c := range t.cols {
				cols = append(cols, c.enc)
			}
			if err := s.Q(ctx).g.Table(t.table).Select(cols).Where("id > ?", p.LastID).Order("id").Limit(batch).Find(&rows).Error; err != nil {
				return rewritten, fmt.Errorf("store: read %s: %w", t.table, translate(err))
			}
			if len(rows) == 0 {
				break
			}
			err := s.Tx(ctx, func(q *Q) error {
				for _, r := range rows {
					done, err := q.rotateRow(t.table, t.cols, r, prefix)
					if err != nil {
						return err
					}
					if done {
						p.Rewritten++
						rewritten++
					}
				}
				return nil
			})
			if err != nil {
				return rewritten, err
			}
			p.Checked += int64(len(rows))
			p.LastID = asInt64(rows[len(rows)-1]["id"])
			if progress != nil {
				progress(p)
			}
			if len(rows) < batch {
				break
			}
		}
	}
	return rewritten, nil
}

// rotateRow rewrites one row's stale values; it reports whether it wrote.
func (q *Q) rotateRow(table string, cols []sealedColumn, r map[string]any, prefix string) (bool, error) {
	id := asInt64(r["id"])
	set := map[string]any{}
	where := q.g.Table(table).Where("id = ?", id)
	for _, c := range cols {
		old, ok := asString(r[c.enc])
		if !ok || old == "" || strings.HasPrefix(old, prefix) {
			continue
		}
		plain, err := q.box.Open(c.purpose, old)
		if err != nil {
			return false, fmt.Errorf("store: %s %d %s: %w", table, id, c.enc, err)
		}
		sealed, err := q.box.Seal(c.purpose, plain)
		if err != nil {
			return false, err
		}
		set[c.enc] = sealed
		where = where.Where(c.enc+" = ?", old)
		if c.bidx != "" {
			set[c.bidx] = q.box.Index(c.purpose, plain)
		}
	}
	if len(set) == 0 {
		return false, nil
	}
	if err := where.Updates(set).Error; err != nil {
		return false, fmt.Errorf("store: rewrite %s %d: %w", table, id, translate(err))
	}
	return true, nil
}

// CountStalePII counts the personal-data values not written with the box's
// current key and suite, by table: zero everywhere once a rotation is done.
func (s *Store) CountStalePII(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	prefix := s.box.Prefix()
	for _, t := range sealedTables {
		var conds []string
		var args []any
		for _, c := range t.cols {
			conds = append(conds, "("+c.enc+" IS NOT NULL AND "+c.enc+" <> '' AND "+c.enc+" NOT LIKE ?)")
			args = append(args, prefix+"%")
		}
		var n int64
		if err := s.Q(ctx).g.Table(t.table).Where(strings.Join(conds, " OR "), args...).Count(&n).Error; err != nil {
			return nil, fmt.Errorf("store: count %s: %w", t.table, translate(err))
		}
		out[t.table] = n
	}
	return out, nil
}

func asInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case uint64:
		return int64(x)
	case []byte:
		var n int64
		_, _ = fmt.Sscan(string(x), &n)
		return n
	}
	return 0
}

func asString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case []byte:
		return string(x), true
	case *string:
		if x != nil {
			return *x, true
		}
	}
	return "", false
}
