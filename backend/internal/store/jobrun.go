package store

import (
	"time"

	"gorm.io/gorm/clause"
)

// jobRun records the last period a periodic job ran for.
type jobRun struct {
	Name      string `gorm:"primaryKey"`
	LastRun   string
	UpdatedAt time.Time
}

func (jobRun) TableName() string { return "job_runs" }

// ClaimJobRun lets exactly one instance run job name for period (such as a
// date): it answers true once per period, however many instances ask.
func (q *Q) ClaimJobRun(name, period string) (bool, error) {
	t := now()
	if err := q.g.Clauses(clause.OnConflict{DoNothing: true}).
		Create(&jobRun{Name: name, LastRun: "", UpdatedAt: t}).Error; err != nil {
		return false, translate(err)
	}
	res := q.g.Model(&jobRun{}).Where("name = ? AND last_run <> ?", name, period).
		Updates(map[string]any{"last_run": period, "updated_at": t})
	return res.RowsAffected == 1, translate(res.Error)
}
