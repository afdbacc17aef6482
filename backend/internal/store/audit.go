package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/suite"
)

// Actor kinds and outcomes of audit entries.
const (
	ActorStaff     = "staff"
	ActorApplicant = "applicant"
	ActorSystem    = "system"

	OutcomeOK     = "ok"
	OutcomeDenied = "denied"
	OutcomeFailed = "failed"
)

// auditGenesis is the prev_hash of the first entry: the hash the migration
// puts into audit_head.
const auditGenesis = "0000000000000000000000000000000000000000000000000000000000000000"

// auditBatch is how many rows VerifyAudit reads at a time.
const auditBatch = 1000

// ErrAuditNeedsTx is returned by AppendAudit outside a transaction.
var ErrAuditNeedsTx = errors.New("store: an audit entry must be appended inside a transaction")

// AuditEntry is one row of the append-only, hash-chained audit log. Seq,
// PrevHash and Hash are set when the entry is sealed onto the chain, after
// the transaction that appended it; At defaults to the current time.
type AuditEntry struct {
	ID         int64 `gorm:"primaryKey"`
	Seq        int64
	At         time.Time
	ActorKind  string // staff, applicant or system
	ActorID    *int64
	ActorName  string
	Role       string
	Action     string
	ObjectType string
	ObjectID   string
	IP         string
	Office     string // the staff actor's office (code and name); empty for others
	Outcome    string // ok, denied or failed; empty means ok
	Detail     string // JSON text; empty means "{}"
	PrevHash   string
	Hash       string
	HashAlg    string // hmac-sm3 or hmac-sha256 (keyed); sha256 for entries sealed before keys
}

// legacyChain names the unkeyed SHA-256 of the entries sealed before the
// chain was keyed (and of a store without a box).
const legacyChain = "sha256"

// TableName names the table.
func (AuditEntry) TableName() string { return "audit_log" }

// auditHead is the single row that holds the end of the chain. Only
// sealAudit locks it, briefly.
type auditHead struct {
	ID   int64 `gorm:"primaryKey"`
	Seq  int64
	Hash string
}

func (auditHead) TableName() string { return "audit_head" }

// AuditBreak names the first entry at which the chain does not hold. ID is 0
// when the entry no longer exists (a deleted tail).
type AuditBreak struct {
	Seq    int64
	ID     int64
	Reason string
}

// AppendAudit adds e to the log. It must run inside a transaction, so that
// the entry commits or rolls back together with the write it records. It
// takes no lock: the entry goes in pending (a random negative seq and no
// hash), and the transaction, once committed, seals it onto the end of the
// chain (sealAudit) in a short transaction of its own. A business transaction
// thus never holds the chain's head, which every audited write of every
// server instance shares, while it runs. It sets e's ID and At (when zero) and
// fills in the defaults of Outcome and Detail; Tx sets Seq, PrevHash and Hash
// once the entry is sealed.
func (q *Q) AppendAudit(e *AuditEntry) error {
	if !q.inTx {
		return ErrAuditNeedsTx
	}
	if err := q.fillOffice(e); err != nil {
		return err
	}
	if err := e.normalise(); err != nil {
		return err
	}
	e.ID, e.Seq, e.PrevHash, e.Hash = 0, pendingSeq(), "", ""
	if err := q.g.Create(e).Error; err != nil {
		return fmt.Errorf("store: append audit entry: %w", translate(err))
	}
	q.audits = append(q.audits, e)
	return nil
}

// fillOffice names the office of a staff actor that the entry does not name
// yet, so every staff entry says where its actor works (等保: who, in which
// unit) without each caller looking it up.
func (q *Q) fillOffice(e *AuditEntry) error {
	if e.ActorKind != ActorStaff || e.ActorID == nil || e.Office != "" {
		return nil
	}
	var rows []struct{ Code, Name string }
	err := q.g.Table("staff s").Select("o.code, o.name").Joins("JOIN offices o ON o.id = s.office_id").
		Where("s.id = ?", *e.ActorID).Limit(1).Find(&rows).Error
	if err != nil {
		return fmt.Errorf("store: audit office: %w", translate(err))
	}
	if len(rows) == 1 {
		e.Office = rows[0].Code + " " + rows[0].Name
	}
	return nil
}

// Audit appends e in a transaction of its own, for events that go with no
// other write: logins, refused access, views of unmasked personal data.
func (s *Store) Audit(ctx context.Context, e *AuditEntry) error {
	return s.Tx(ctx, func(q *Q) error { return q.AppendAudit(e) })
}

// Column widths of audit_log, in characters.
const (
	auditKindLen   = 16
	auditNameLen   = 64
	auditRoleLen   = 32
	auditActionLen = 64
	auditTypeLen   = 32
	auditIDLen     = 64
	auditIPLen     = 64
	auditOfficeLen = 64
	auditDetailLen = 65535 // bytes: a MySQL TEXT
)

// normalise checks e and brings it to the exact form the database stores, so
// that the hash computed now matches the row read back later: UTC time to the
// microsecond, valid UTF-8, values within the column widths. Free text that
// may come from outside (names, object ids, addresses) is cut to fit; the
// codes the program chooses are refused when wrong.
func (e *AuditEntry) normalise() error {
	if e.At.IsZero() {
		e.At = now()
	}
	e.At = Stored(e.At)
	if y := e.At.Year(); y < 1000 || y > 9999 {
		return fmt.Errorf("store: audit time %s is out of range", e.At)
	}
	switch e.ActorKind {
	case ActorStaff, ActorApplicant, ActorSystem:
	default:
		return fmt.Errorf("store: audit actor kind %q is not staff, applicant or system", e.ActorKind)
	}
	if e.Outcome == "" {
		e.Outcome = OutcomeOK
	}
	switch e.Outcome {
	case OutcomeOK, OutcomeDenied, OutcomeFailed:
	default:
		return fmt.Errorf("store: audit outcome %q is not ok, denied or failed", e.Outcome)
	}
	e.ActorName = fitText(e.ActorName, auditNameLen)
	e.Office = fitText(e.Office, auditOfficeLen)
	e.ObjectID = fitText(e.ObjectID, auditIDLen)
	e.IP = fitText(e.IP, auditIPLen)
	for _, c := range []struct {
		name, val string
		max       int
	}{{"role", e.Role, auditRoleLen}, {"action", e.Action, auditActionLen}, {"object type", e.ObjectType, auditTypeLen}} {
		if !utf8.ValidString(c.val) || utf8.RuneCountInString(c.val) > c.max {
			return fmt.Errorf("store: audit %s %q is not valid UTF-8 of at most %d characters", c.name, c.val, c.max)
		}
	}
	if e.Action == "" {
		return errors.New("store: audit entry without an action")
	}
	if strings.TrimSpace(e.Detail) == "" {
		e.Detail = "{}"
	}
	if !utf8.ValidString(e.Detail) || !json.Valid([]byte(e.Detail)) || len(e.Detail) > auditDetailLen {
		return errors.New("store: audit detail is not a JSON text of at most 64 KiB")
	}
	return nil
}

// fitText makes s valid UTF-8 of at most max characters.
func fitText(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max])
}

// auditTimeFormat writes an audit time canonically: UTC, always six digits.
const auditTimeFormat = "2006-01-02T15:04:05.000000Z07:00"

// chainAlg is the hash the store seals new entries with: its box's keyed
// hash (HMAC-SM3 under IDCARD_CRYPTO=sm), or the legacy one without a box.
func (s *Store) chainAlg() string { return chainAlgOf(s.box) }

// chainAlgOf is the hash that seals new entries under box: its suite's
// keyed hash, or the legacy SHA-256 without a box.
func chainAlgOf(box *pii.Box) string {
	if box == nil {
		return legacyChain
	}
	return box.Suite().MACName()
}

// entryHash is the hash of e under its HashAlg: the legacy SHA-256, or the
// keyed hash of that suite under the chain key. It is "" when the store
// cannot compute it (no box, or an unknown algorithm), which never matches.
func (s *Store) entryHash(e *AuditEntry) string { return entryHashWith(s.box, e) }

// entryHashWith is entryHash under box: the one rule that seals an entry,
// used by the sealer and by the bulk seeding alike.
func entryHashWith(box *pii.Box, e *AuditEntry) string {
	if e.HashAlg == legacyChain {
		return e.computeHash()
	}
	n, ok := suite.ByMAC(e.HashAlg)
	if !ok || box == nil {
		return ""
	}
	return e.keyedHash(n, box.ChainKey(n))
}

// keyedHash returns the hex HMAC under key, with suite n's hash, of e's
// canonical content (office and algorithm included) and the hash of the
// entry before it: without the key nobody can recompute a chain.
func (e *AuditEntry) keyedHash(n suite.Name, key []byte) string {
	m := n.MAC(key)
	m.Write([]byte("idcard-audit-v2\x00"))
	fields := e.fields()
	writeFields(m, append(fields[:], e.Office, e.HashAlg)...)
	return hex.EncodeToString(m.Sum(nil))
}

// fields are the content of e that every scheme hashes, in order.
func (e *AuditEntry) fields() [13]string {
	actorID := ""
	if e.ActorID != nil {
		actorID = strconv.FormatInt(*e.ActorID, 10)
	}
	return [...]string{
		strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(auditTimeFormat),
		e.ActorKind, actorID, e.ActorName, e.Role, e.Action, e.ObjectType,
		e.ObjectID, e.IP, e.Outcome, e.Detail, e.PrevHash,
	}
}

// writeFields writes each field length-prefixed, so no two distinct entries
// share an encoding.
func writeFields(h hash.Hash, fields ...string) {
	var n [8]byte
	for _, f := range fields {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
}

// computeHash returns the hex SHA-256 of e's canonical content and the hash
// of the entry before it: the legacy, unkeyed scheme, still verified for the
// entries sealed with it.
func (e *AuditEntry) computeHash() string {
	h := sha256.New()
	h.Write([]byte("idcard-audit-v1\x00"))
	fields := e.fields()
	writeFields(h, fields[:]...)
	return hex.EncodeToString(h.Sum(nil))
}

// VerifyAudit walks the whole log in seq order, a batch at a time, and checks
// that every entry's hash matches its content, that it links to the entry
// before it, that no seq is missing and that the head names the last entry.
// It returns the number of entries checked and, when the chain does not hold,
// the first bad entry. Entries appended while it runs are left for the next
// run: it checks the chain up to the head it read first.
func (s *Store) VerifyAudit(ctx context.Context) (checked int64, bad *AuditBreak, err error) {
	if _, err := s.sealAudit(ctx); err != nil {
		return 0, nil, err
	}
	q := s.Q(ctx)
	var head auditHead
	if err := q.g.Where("id = ?", 1).Take(&head).Error; err != nil {
		return 0, nil, fmt.Errorf("store: read audit head: %w", translate(err))
	}
	prevSeq, prevHash, prevID := int64(0), auditGenesis, int64(0)
	after := int64(math.MinInt64)
	batch := make([]AuditEntry, 0, auditBatch)
	keyed := false // a keyed entry was seen: no unkeyed one may follow
	for {
		if err := ctx.Err(); err != nil {
			return checked, nil, err
		}
		batch = batch[:0]
		err := q.g.Where("seq > ? AND seq <= ?", after, head.Seq).Not(pendingAudit).Order("seq").Limit(auditBatch).Find(&batch).Error
		if err != nil {
			return checked, nil, fmt.Errorf("store: read audit log: %w", translate(err))
		}
		for i := range batch {
			r := &batch[i]
			if keyed && r.HashAlg == legacyChain {
				return checked, &AuditBreak{r.Seq, r.ID, "an unkeyed entry follows keyed ones"}, nil
			}
			keyed = keyed || r.HashAlg != legacyChain
			if s.entryHash(r) != r.Hash {
				return checked, &AuditBreak{r.Seq, r.ID, "the entry does not match its hash"}, nil
			}
			if r.Seq <= prevSeq {
				return checked, &AuditBreak{r.Seq, r.ID, "the seq is out of range: the chain starts at 1"}, nil
			}
			if r.Seq != prevSeq+1 {
				b, err := q.missingAudit(prevSeq, prevHash, r.ID)
				if b == nil && err == nil {
					b = &AuditBreak{r.Seq, r.ID, fmt.Sprintf("the entry follows entry %d: %s missing", prevSeq, entrySpan(prevSeq+1, r.Seq-1))}
				}
				return checked, b, err
			}
			if r.PrevHash != prevHash {
				return checked, &AuditBreak{r.Seq, r.ID, fmt.Sprintf("prev_hash does not match the hash of entry %d", prevSeq)}, nil
			}
			prevSeq, prevHash, prevID = r.Seq, r.Hash, r.ID
			checked++
		}
		if len(batch) < auditBatch {
			break
		}
		after = batch[len(batch)-1].Seq
	}
	bad, err = q.checkAuditHead(head, prevSeq, prevHash, prevID)
	return checked, bad, err
}

// checkAuditHead compares the head read before the walk with the last entry
// walked, and looks for entries beyond the head that a rolled-back head would
// hide.
func (q *Q) checkAuditHead(head auditHead, lastSeq int64, lastHash string, lastID int64) (*AuditBreak, error) {
	if head.Seq > lastSeq {
		b, err := q.missingAudit(lastSeq, lastHash, 0)
		if b == nil && err == nil {
			b = &AuditBreak{lastSeq + 1, 0, fmt.Sprintf("%s missing: the head is at %d but the log ends at %d", entrySpan(lastSeq+1, head.Seq), head.Seq, lastSeq)}
		}
		return b, err
	}
	if head.Hash != lastHash {
		return &AuditBreak{lastSeq, lastID, "the head's hash does not match the last entry"}, nil
	}
	// Read the highest seq before the head again: an honest append moves both
	// in one transaction, so only an altered head leaves entries beyond it.
	var maxSeq int64
	if err := q.g.Model(&AuditEntry{}).Select("COALESCE(MAX(seq), 0)").Scan(&maxSeq).Error; err != nil {
		return nil, fmt.Errorf("store: read audit log: %w", translate(err))
	}
	var again auditHead
	if err := q.g.Where("id = ?", 1).Take(&again).Error; err != nil {
		return nil, fmt.Errorf("store: read audit head: %w", translate(err))
	}
	if maxSeq > again.Seq {
		var r AuditEntry
		if err := q.g.Where("seq > ?", again.Seq).Order("seq").Take(&r).Error; err != nil {
			return nil, fmt.Errorf("store: read audit log: %w", translate(err))
		}
		return &AuditBreak{r.Seq, r.ID, fmt.Sprintf("the entry lies beyond the head (seq %d)", again.Seq)}, nil
	}
	return nil, nil
}

// entrySpan names the entries from to to, for a break's reason.
func entrySpan(from, to int64) string {
	if from == to {
		return fmt.Sprintf("entry %d is", from)
	}
	return fmt.Sprintf("entries %d to %d are", from, to)
}

// missingAudit explains a gap after entry prevSeq. When a row other than
// skipID claims to follow that entry, its seq was altered, and the break names
// it; otherwise it returns nil and the caller reports the entries as deleted.
func (q *Q) missingAudit(prevSeq int64, prevHash string, skipID int64) (*AuditBreak, error) {
	var rows []AuditEntry
	err := q.g.Where("prev_hash = ? AND id <> ?", prevHash, skipID).Order("id").Limit(1).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: read audit log: %w", translate(err))
	}
	if len(rows) == 0 {
		return nil, nil
	}
	r := rows[0]
	return &AuditBreak{r.Seq, r.ID, fmt.Sprintf("the entry follows entry %d but holds seq %d, not %d", prevSeq, r.Seq, prevSeq+1)}, nil
}

// AuditFilter selects audit entries; zero fields do not filter.
type AuditFilter struct {
	ActorKind  string
	ActorID    *int64
	Action     string
	ObjectType string
	ObjectID   string
	From       time.Time // at or after
	To         time.Time // before
	BeforeSeq  int64     // keyset cursor: entries with a smaller seq; 0 starts at the newest
	Limit      int       // at most 200; 0 means 50
}

// Page sizes of AuditEntries.
const (
	AuditPageDefault = 50
	AuditPageMax     = 200
)

// AuditEntries lists the entries that match f, newest first. The next page
// passes the Seq of the last entry returned as BeforeSeq.
func (q *Q) AuditEntries(f AuditFilter) ([]AuditEntry, error) {
	return q.SearchAudit(AuditSearch{AuditFilter: f})
}
