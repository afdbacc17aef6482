package web

import (
	"net/http"

	"github.com/gzga/idcard/backend/internal/domain"
)

// httpStatus is the one place where error codes become HTTP statuses
// (openapi.yaml, "Conventions").
func httpStatus(c domain.Code) int {
	switch c {
	case domain.CodeBadRequest:
		return http.StatusBadRequest
	case domain.CodeUnauthenticated, domain.CodeBadCode, domain.CodeBadCredentials, domain.CodeBadSignature, domain.CodeOTPRequired:
		return http.StatusUnauthorized
	case domain.CodeForbidden, domain.CodeWrongStation, domain.CodeOutOfJurisdiction,
		domain.CodeOTPEnrolmentRequired, domain.CodePasswordExpired:
		return http.StatusForbidden
	case domain.CodeNotFound:
		return http.StatusNotFound
	case domain.CodeConflict, domain.CodeInvalidTransition, domain.CodeVersionConflict, domain.CodeNotReadyForPickup,
		domain.CodeChangeNotAllowed, domain.CodeAlreadyPaid, domain.CodeNothingToPay, domain.CodePaymentRequired,
		domain.CodeOTPAlreadyEnrolled:
		return http.StatusConflict
	case domain.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case domain.CodeUnsupportedMediaType:
		return http.StatusUnsupportedMediaType
	case domain.CodeRateLimited:
		return http.StatusTooManyRequests
	case domain.CodeUnavailable:
		return http.StatusServiceUnavailable
	case domain.CodeInternal:
		return http.StatusInternalServerError
	}
	// Every other code names a broken rule.
	return http.StatusUnprocessableEntity
}

// signInStatus is httpStatus for the answer of a sign-in: a wrong second
// factor there is 401, like a wrong password (elsewhere, at the enrolment's
// confirmation, it is a broken rule, 422).
func signInStatus(c domain.Code) int {
	if c == domain.CodeBadOTP {
		return http.StatusUnauthorized
	}
	return httpStatus(c)
}

var (
	errNotFound = domain.Errorf(domain.CodeNotFound, "请求的地址不存在")
	errMethod   = domain.Errorf(domain.CodeBadRequest, "不支持该请求方法")
)
