package store

import (
	"context"
	"database/sql/driver"
	"io"
	"reflect"
	"time"
)

// The store keeps every time in UTC, to the microsecond, and this file is the
// one place that makes it so: both dialects open through utcConnector, whose
// connections convert each time.Time argument on its way in and each
// time.Time column value on its way out. SQLite keeps times as text and
// compares them as text, so a +08:00 argument against a UTC column would be
// eight hours off; MySQL's DATETIME(6) keeps microseconds. Callers anywhere
// above may pass times in any zone (calendar deadlines are Asia/Shanghai).

// Stored returns t as the store keeps it: UTC, to the microsecond. Callers
// that keep a time they also write (a clock's now, a seeded time) use it so
// their copy equals what a read gives back.
func Stored(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// utcConnector wraps a driver's connector so that its connections speak UTC.
type utcConnector struct{ driver.Connector }

// Connect opens a connection of the wrapped driver.
func (c utcConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &utcConn{Conn: conn}, nil
}

// dsnConnector turns a driver without a connector of its own into one.
type dsnConnector struct {
	dsn string
	drv driver.Driver
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.drv }

// utcConn forwards to the driver's connection; every optional interface that
// database/sql looks for is forwarded when the driver has it.
type utcConn struct{ driver.Conn }

// CheckNamedValue converts a time argument (or a Valuer that yields one)
// and leaves every other value to the driver's own checks.
func (c *utcConn) CheckNamedValue(nv *driver.NamedValue) error {
	if v, ok := nv.Value.(driver.Valuer); ok {
		val, err := valuerValue(v)
		if err != nil {
			return err
		}
		nv.Value = val
	}
	switch t := nv.Value.(type) {
	case time.Time:
		nv.Value = Stored(t)
		return nil
	case *time.Time:
		if t == nil {
			nv.Value = nil
		} else {
			nv.Value = Stored(*t)
		}
		return nil
	}
	if nvc, ok := c.Conn.(driver.NamedValueChecker); ok {
		return nvc.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

func (c *utcConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if e, ok := c.Conn.(driver.ExecerContext); ok {
		return e.ExecContext(ctx, query, args)
	}
	return nil, driver.ErrSkip
}

func (c *utcConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	rows, err := q.QueryContext(ctx, query, args)
	if err != nil {
		return nil, err
	}
	return utcRows{rows}, nil
}

func (c *utcConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	var (
		st  driver.Stmt
		err error
	)
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		st, err = p.PrepareContext(ctx, query)
	} else {
		st, err = c.Conn.Prepare(query)
	}
	if err != nil {
		return nil, err
	}
	return utcStmt{st}, nil
}

func (c *utcConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return c.Conn.Begin() //nolint:staticcheck // the driver has nothing newer
}

func (c *utcConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *utcConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *utcConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

var valuerType = reflect.TypeFor[driver.Valuer]()

// valuerValue calls v.Value as database/sql does: a nil pointer to a type
// whose Value has a value receiver is NULL rather than a panic.
func valuerValue(v driver.Valuer) (driver.Value, error) {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() && rv.Type().Elem().Implements(valuerType) {
		return nil, nil
	}
	return v.Value()
}

// utcStmt is a prepared statement whose rows come back in UTC.
type utcStmt struct{ driver.Stmt }

func (s utcStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if e, ok := s.Stmt.(driver.StmtExecContext); ok {
		return e.ExecContext(ctx, args)
	}
	vals, err := plainValues(args)
	if err != nil {
		return nil, err
	}
	return s.Stmt.Exec(vals) //nolint:staticcheck // the driver has nothing newer
}

func (s utcStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	var (
		rows driver.Rows
		err  error
	)
	if q, ok := s.Stmt.(driver.StmtQueryContext); ok {
		rows, err = q.QueryContext(ctx, args)
	} else {
		var vals []driver.Value
		if vals, err = plainValues(args); err == nil {
			rows, err = s.Stmt.Query(vals) //nolint:staticcheck // the driver has nothing newer
		}
	}
	if err != nil {
		return nil, err
	}
	return utcRows{rows}, nil
}

func plainValues(args []driver.NamedValue) ([]driver.Value, error) {
	out := make([]driver.Value, len(args))
	for i, a := range args {
		if a.Name != "" {
			return nil, driver.ErrSkip
		}
		out[i] = a.Value
	}
	return out, nil
}

// utcRows converts the times it reads. The column-type methods that GORM's
// scanning uses are forwarded.
type utcRows struct{ driver.Rows }

func (r utcRows) Next(dest []driver.Value) error {
	if err := r.Rows.Next(dest); err != nil {
		return err
	}
	for i, v := range dest {
		if t, ok := v.(time.Time); ok {
			dest[i] = Stored(t)
		}
	}
	return nil
}

func (r utcRows) ColumnTypeDatabaseTypeName(i int) string {
	if c, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return c.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r utcRows) ColumnTypeScanType(i int) reflect.Type {
	if c, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return c.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r utcRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if c, isC := r.Rows.(driver.RowsColumnTypeNullable); isC {
		return c.ColumnTypeNullable(i)
	}
	return false, false
}

func (r utcRows) ColumnTypeLength(i int) (int64, bool) {
	if c, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return c.ColumnTypeLength(i)
	}
	return 0, false
}

func (r utcRows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	if c, isC := r.Rows.(driver.RowsColumnTypePrecisionScale); isC {
		return c.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}

func (r utcRows) HasNextResultSet() bool {
	if n, ok := r.Rows.(driver.RowsNextResultSet); ok {
		return n.HasNextResultSet()
	}
	return false
}

func (r utcRows) NextResultSet() error {
	if n, ok := r.Rows.(driver.RowsNextResultSet); ok {
		return n.NextResultSet()
	}
	return io.EOF
}
