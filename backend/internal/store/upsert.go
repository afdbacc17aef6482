package store

import "gorm.io/gorm/clause"

// onConflictUpdate is an idempotent insert: on a duplicate key it updates the
// listed columns. GORM renders it as ON DUPLICATE KEY UPDATE on MySQL and
// ON CONFLICT (key) DO UPDATE on SQLite.
func onConflictUpdate(key string, cols ...string) clause.OnConflict {
	return clause.OnConflict{Columns: []clause.Column{{Name: key}}, DoUpdates: clause.AssignmentColumns(cols)}
}

// onConflictIgnore inserts only what is missing.
func onConflictIgnore(key string) clause.OnConflict {
	return clause.OnConflict{Columns: []clause.Column{{Name: key}}, DoNothing: true}
}
