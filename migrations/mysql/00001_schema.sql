-- +goose Up
-- The whole schema (docs/architecture.md, data). Times are UTC DATETIME(6); dates are DATE in
-- Asia/Shanghai. Personal data columns (*_enc) hold AES-GCM ciphertext with a
-- key id; *_bidx columns hold the HMAC blind index used for look-ups.

CREATE TABLE divisions (
    code        VARCHAR(6)  NOT NULL PRIMARY KEY,
    name        VARCHAR(64) NOT NULL,
    level       TINYINT     NOT NULL,
    parent_code VARCHAR(6)  NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX idx_divisions_parent ON divisions (parent_code);

CREATE TABLE offices (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    code          VARCHAR(32)  NOT NULL,
    kind          VARCHAR(24)  NOT NULL,
    name          VARCHAR(128) NOT NULL,
    division_code VARCHAR(6)   NOT NULL,
    address       VARCHAR(255) NOT NULL DEFAULT '',
    phone         VARCHAR(32)  NOT NULL DEFAULT '',
    hours         VARCHAR(128) NOT NULL DEFAULT '',
    remote        BOOLEAN      NOT NULL DEFAULT FALSE,
    active        BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at    DATETIME(6)  NOT NULL,
    updated_at    DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_offices_code ON offices (code);
CREATE INDEX idx_offices_kind_division ON offices (kind, division_code);

CREATE TABLE persons (
    id                 BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name               VARCHAR(64)  NOT NULL,
    sex                VARCHAR(8)   NOT NULL,
    ethnicity          VARCHAR(32)  NOT NULL,
    birth_date         DATE         NOT NULL,
    id_number_enc      TEXT         NOT NULL,
    id_number_bidx     VARCHAR(64)  NOT NULL,
    address_enc        TEXT         NOT NULL,
    household_division VARCHAR(6)   NOT NULL,
    photo_id           BIGINT       NULL,
    card_issued_on     DATE         NULL,
    card_expires_on    DATE         NULL,
    card_fingerprints  BOOLEAN      NOT NULL DEFAULT FALSE,
    card_valid         BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at         DATETIME(6)  NOT NULL,
    updated_at         DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_persons_id_number ON persons (id_number_bidx);
CREATE INDEX idx_persons_household ON persons (household_division);

CREATE TABLE applicants (
    id               BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    phone_enc        TEXT        NULL,
    phone_bidx       VARCHAR(64) NULL,
    wechat_openid    VARCHAR(64) NULL,
    wechat_mp_openid VARCHAR(64) NULL,
    wechat_unionid   VARCHAR(64) NULL,
    person_id        BIGINT      NULL,
    bound_at         DATETIME(6) NULL,
    created_at       DATETIME(6) NOT NULL,
    updated_at       DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_applicants_phone ON applicants (phone_bidx);
CREATE UNIQUE INDEX uq_applicants_openid ON applicants (wechat_openid);
CREATE UNIQUE INDEX uq_applicants_mp_openid ON applicants (wechat_mp_openid);
CREATE UNIQUE INDEX uq_applicants_unionid ON applicants (wechat_unionid);
CREATE UNIQUE INDEX uq_applicants_person ON applicants (person_id);

CREATE TABLE staff (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username       VARCHAR(64)  NOT NULL,
    name           VARCHAR(64)  NOT NULL,
    password_hash  VARCHAR(255) NOT NULL,
    role           VARCHAR(32)  NOT NULL,
    office_id      BIGINT       NULL,
    scope_division VARCHAR(6)   NOT NULL DEFAULT '',
    active         BOOLEAN      NOT NULL DEFAULT TRUE,
    last_login_at  DATETIME(6)  NULL,
    created_at     DATETIME(6)  NOT NULL,
    updated_at     DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_staff_username ON staff (username);
CREATE INDEX idx_staff_office ON staff (office_id);

CREATE TABLE photos (
    id           BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    applicant_id BIGINT      NULL,
    sha256       VARCHAR(64) NOT NULL,
    width        INT         NOT NULL,
    height       INT         NOT NULL,
    size_bytes   INT         NOT NULL,
    data         MEDIUMBLOB  NOT NULL,
    created_at   DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_photos_owner_hash ON photos (applicant_id, sha256);

CREATE TABLE cases (
    id                  BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    no                  VARCHAR(16)  NOT NULL,
    kind                VARCHAR(24)  NOT NULL,
    status              VARCHAR(24)  NOT NULL,
    collection          VARCHAR(8)   NOT NULL,
    person_id           BIGINT       NOT NULL,
    active_person_id    BIGINT       NULL,
    applicant_id        BIGINT       NOT NULL,
    station_id          BIGINT       NOT NULL,
    station_division    VARCHAR(6)   NOT NULL,
    household_division  VARCHAR(6)   NOT NULL,
    remote              BOOLEAN      NOT NULL DEFAULT FALSE,
    mail_recipient_enc  TEXT         NULL,
    mail_phone_enc      TEXT         NULL,
    mail_division_code  VARCHAR(6)   NULL,
    mail_address_enc    TEXT         NULL,
    photo_id            BIGINT       NULL,
    photo_receipt_no    VARCHAR(32)  NULL,
    fee_yuan            INT          NOT NULL DEFAULT 0,
    submitted_at        DATETIME(6)  NOT NULL,
    accepted_at         DATETIME(6)  NULL,
    issued_at           DATETIME(6)  NULL,
    produced_at         DATETIME(6)  NULL,
    shipped_at          DATETIME(6)  NULL,
    ready_at            DATETIME(6)  NULL,
    closed_at           DATETIME(6)  NULL,
    stage_due_at        DATETIME(6)  NULL,
    legal_due_at        DATETIME(6)  NOT NULL,
    pickup_due_at       DATETIME(6)  NULL,
    extension_days      INT          NOT NULL DEFAULT 0,
    extension_reason    VARCHAR(500) NULL,
    reject_reason       VARCHAR(500) NULL,
    tracking_no         VARCHAR(16)  NULL,
    old_card_returned   BOOLEAN      NULL,
    signed_by           VARCHAR(64)  NULL,
    new_card_expires_on DATE         NULL,
    pickup_reminded_at  DATETIME(6)  NULL,
    version             INT          NOT NULL DEFAULT 1,
    created_at          DATETIME(6)  NOT NULL,
    updated_at          DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_cases_no ON cases (no);
CREATE UNIQUE INDEX uq_cases_active_person ON cases (active_person_id);
CREATE INDEX idx_cases_station_status_due ON cases (station_id, status, stage_due_at);
CREATE INDEX idx_cases_household_status_due ON cases (household_division, status, stage_due_at);
CREATE INDEX idx_cases_status_due ON cases (status, stage_due_at);
CREATE INDEX idx_cases_division_status ON cases (station_division, status, submitted_at);
CREATE INDEX idx_cases_person ON cases (person_id, submitted_at);
CREATE INDEX idx_cases_applicant ON cases (applicant_id, submitted_at);
CREATE INDEX idx_cases_submitted ON cases (submitted_at);

CREATE TABLE case_events (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_id     BIGINT       NOT NULL,
    action      VARCHAR(24)  NOT NULL,
    from_status VARCHAR(24)  NULL,
    to_status   VARCHAR(24)  NOT NULL,
    actor_kind  VARCHAR(16)  NOT NULL,
    actor_id    BIGINT       NULL,
    actor_name  VARCHAR(64)  NOT NULL DEFAULT '',
    office_id   BIGINT       NULL,
    note        VARCHAR(500) NULL,
    at          DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX idx_case_events_case ON case_events (case_id, at);
CREATE INDEX idx_case_events_at ON case_events (at, to_status);

CREATE TABLE temporary_cards (
    id           BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_id      BIGINT      NOT NULL,
    person_id    BIGINT      NOT NULL,
    status       VARCHAR(16) NOT NULL,
    card_no      VARCHAR(32) NULL,
    fee_yuan     INT         NOT NULL DEFAULT 10,
    requested_at DATETIME(6) NOT NULL,
    issued_at    DATETIME(6) NULL,
    valid_until  DATE        NULL,
    issued_by    BIGINT      NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_temporary_cards_case ON temporary_cards (case_id);
CREATE INDEX idx_temporary_cards_status ON temporary_cards (status, requested_at);

CREATE TABLE audit_log (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    seq         BIGINT       NOT NULL,
    at          DATETIME(6)  NOT NULL,
    actor_kind  VARCHAR(16)  NOT NULL,
    actor_id    BIGINT       NULL,
    actor_name  VARCHAR(64)  NOT NULL DEFAULT '',
    role        VARCHAR(32)  NOT NULL DEFAULT '',
    action      VARCHAR(64)  NOT NULL,
    object_type VARCHAR(32)  NOT NULL DEFAULT '',
    object_id   VARCHAR(64)  NOT NULL DEFAULT '',
    ip          VARCHAR(64)  NOT NULL DEFAULT '',
    outcome     VARCHAR(16)  NOT NULL DEFAULT 'ok',
    detail      TEXT         NOT NULL,
    prev_hash   VARCHAR(64)  NOT NULL,
    hash        VARCHAR(64)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_audit_log_seq ON audit_log (seq);
CREATE INDEX idx_audit_log_at ON audit_log (at);
CREATE INDEX idx_audit_log_actor ON audit_log (actor_kind, actor_id, at);
CREATE INDEX idx_audit_log_object ON audit_log (object_type, object_id);

-- One row that serialises appends to the hash chain across instances.
CREATE TABLE audit_head (
    id        INT         NOT NULL PRIMARY KEY,
    seq       BIGINT      NOT NULL,
    hash      VARCHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE outbox (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_id         BIGINT       NULL,
    channel         VARCHAR(16)  NOT NULL,
    recipient_kind  VARCHAR(16)  NOT NULL,
    recipient_id    BIGINT       NOT NULL,
    template        VARCHAR(64)  NOT NULL,
    payload         TEXT         NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    attempts        INT          NOT NULL DEFAULT 0,
    next_attempt_at DATETIME(6)  NOT NULL,
    locked_by       VARCHAR(64)  NULL,
    locked_until    DATETIME(6)  NULL,
    last_error      VARCHAR(500) NULL,
    created_at      DATETIME(6)  NOT NULL,
    sent_at         DATETIME(6)  NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX idx_outbox_state_next ON outbox (state, next_attempt_at);
CREATE INDEX idx_outbox_case ON outbox (case_id);

CREATE TABLE notifications (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    outbox_id      BIGINT       NULL,
    recipient_kind VARCHAR(16)  NOT NULL,
    recipient_id   BIGINT       NOT NULL,
    case_no        VARCHAR(16)  NOT NULL DEFAULT '',
    title          VARCHAR(128) NOT NULL,
    body           VARCHAR(1000) NOT NULL,
    created_at     DATETIME(6)  NOT NULL,
    read_at        DATETIME(6)  NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_notifications_outbox ON notifications (outbox_id);
CREATE INDEX idx_notifications_recipient ON notifications (recipient_kind, recipient_id, created_at);

CREATE TABLE calendar_days (
    day     DATE        NOT NULL PRIMARY KEY,
    working BOOLEAN     NOT NULL,
    note    VARCHAR(64) NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE idempotency_keys (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    applicant_id BIGINT       NOT NULL,
    idem_key     VARCHAR(128) NOT NULL,
    request_hash VARCHAR(64)  NOT NULL,
    status_code  INT          NOT NULL,
    response     TEXT         NOT NULL,
    created_at   DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_idempotency_keys ON idempotency_keys (applicant_id, idem_key);
CREATE INDEX idx_idempotency_keys_created ON idempotency_keys (created_at);

CREATE TABLE job_runs (
    name       VARCHAR(64) NOT NULL PRIMARY KEY,
    last_run   VARCHAR(32) NOT NULL,
    updated_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE job_runs;
DROP TABLE idempotency_keys;
DROP TABLE calendar_days;
DROP TABLE notifications;
DROP TABLE outbox;
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE temporary_cards;
DROP TABLE case_events;
DROP TABLE cases;
DROP TABLE photos;
DROP TABLE staff;
DROP TABLE applicants;
DROP TABLE persons;
DROP TABLE offices;
DROP TABLE divisions;
