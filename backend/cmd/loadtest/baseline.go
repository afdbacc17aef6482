package main

import (
	"database/sql"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	_ "github.com/go-sql-driver/mysql"
)

// serveBaseline is the bare handler the product is compared with: Gin,
// one indexed query by primary key on the same cases table, JSON out
// (TechEmpower's "single query"). It has no sessions, no middleware and
// no deadlines. Its one statement is prepared once at start, as
// TechEmpower's Go entries do: a query is one round trip, as the
// product's are (the driver interpolates their arguments).
func serveBaseline(addr, dsn string) error {
	db, err := sql.Open("mysql", dsn+sep(dsn)+"parseTime=true")
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	db.SetConnMaxLifetime(30 * time.Minute)
	var maxID int64
	if err := db.QueryRow("SELECT COALESCE(MAX(id), 1) FROM cases").Scan(&maxID); err != nil {
		return err
	}
	stmt, err := db.Prepare("SELECT id, no, status FROM cases WHERE id = ?")
	if err != nil {
		return err
	}
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	e.GET("/baseline", func(c *gin.Context) {
		var row struct {
			ID     int64  `json:"id"`
			No     string `json:"no"`
			Status string `json:"status"`
		}
		err := stmt.QueryRowContext(c.Request.Context(), 1+rand.Int64N(maxID)).
			Scan(&row.ID, &row.No, &row.Status)
		if err != nil && err != sql.ErrNoRows {
			c.Status(http.StatusInternalServerError)
			return
		}
		c.JSON(http.StatusOK, row)
	})
	return http.ListenAndServe(addr, e)
}

// sep is the separator before one more DSN parameter.
func sep(dsn string) string {
	for _, r := range dsn {
		if r == '?' {
			return "&"
		}
	}
	return "?"
}
