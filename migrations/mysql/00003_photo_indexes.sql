-- +goose Up
-- Staff photo look-ups find the cases and persons that use a photo.
CREATE INDEX idx_cases_photo ON cases (photo_id);
CREATE INDEX idx_persons_photo ON persons (photo_id);

-- +goose Down
DROP INDEX idx_persons_photo ON persons;
DROP INDEX idx_cases_photo ON cases;
