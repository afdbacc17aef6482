package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/jpeg"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// GA 461 ID photo rules.
const (
	PhotoWidth    = 358
	PhotoHeight   = 441
	MaxPhotoBytes = 2 << 20 // what an upload may weigh before it is decoded
)

// checkPhoto decodes data and applies GA 461: a JPEG of exactly 358×441
// pixels on a near-white background. It looks at the content only, never at
// a file name or a declared type.
func checkPhoto(data []byte) (image.Image, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || format != "jpeg" {
		return nil, domain.Errorf(domain.CodePhotoInvalid, "相片须为JPEG格式的图片")
	}
	if cfg.Width != PhotoWidth || cfg.Height != PhotoHeight {
		return nil, domain.Errorf(domain.CodePhotoInvalid, "相片尺寸须为%d×%d像素（当前为%d×%d）", PhotoWidth, PhotoHeight, cfg.Width, cfg.Height)
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, domain.Errorf(domain.CodePhotoInvalid, "相片文件已损坏，无法读取")
	}
	if share := backgroundWhiteShare(img); share < 0.85 {
		return nil, domain.Errorf(domain.CodePhotoInvalid, "相片背景须为白色（当前仅%d%%为白色）", int(share*100))
	}
	return img, nil
}

// backgroundWhiteShare is the share of near-white pixels in the bands where
// a correct ID photo shows only background: the top rows and the upper
// corners beside the head.
func backgroundWhiteShare(img image.Image) float64 {
	b := img.Bounds()
	white, total := 0, 0
	sample := func(x, y int) {
		r, g, bl, _ := img.At(x, y).RGBA()
		lo, hi := min(r, g, bl)>>8, max(r, g, bl)>>8
		total++
		if lo >= 215 && hi-lo <= 30 {
			white++
		}
	}
	for y := b.Min.Y; y < b.Min.Y+b.Dy()/12; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			sample(x, y)
		}
	}
	for y := b.Min.Y + b.Dy()/12; y < b.Min.Y+b.Dy()/3; y += 2 {
		for x := b.Min.X; x < b.Min.X+b.Dx()/10; x += 2 {
			sample(x, y)
			sample(b.Max.X-1-(x-b.Min.X), y)
		}
	}
	return float64(white) / float64(total)
}

// UploadPhoto checks an ID photo and stores it re-encoded (which drops EXIF
// and anything else hidden in the file), by content hash. Returns
// PHOTO_INVALID with the reason and TOO_LARGE.
func (s *Service) UploadPhoto(ctx context.Context, a Actor, data []byte) (int64, error) {
	if len(data) > MaxPhotoBytes {
		return 0, domain.Errorf(domain.CodeTooLarge, "相片文件不能超过2MB")
	}
	img, err := checkPhoto(data)
	if err != nil {
		return 0, err
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 92}); err != nil {
		return 0, s.internal(ctx, "photo encode", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	p := store.Photo{ApplicantID: &a.ID, Sha256: hex.EncodeToString(sum[:]), Width: PhotoWidth, Height: PhotoHeight,
		SizeBytes: buf.Len(), Data: buf.Bytes()}
	if err := s.st.Q(ctx).InsertPhoto(&p); err != nil {
		return 0, s.internal(ctx, "photo", err)
	}
	return p.ID, nil
}

// PhotoFile is a stored ID photo.
type PhotoFile struct {
	Data   []byte
	Sha256 string
}

// photoCaseScan bounds the cases looked at for a photo without a case.
const photoCaseScan = 20

// StaffPhoto returns a photo that a case in the actor's jurisdiction shows:
// its uploaded application photo or the registry photo of its person. With
// caseNo set only that case is considered (the case page passes it). Returns
// FORBIDDEN for roles that see no cases and NOT_FOUND for any other photo,
// so the existence of photos outside the jurisdiction does not leak.
func (s *Service) StaffPhoto(ctx context.Context, a Actor, photoID int64, caseNo string) (PhotoFile, error) {
	if _, err := scopeFilter(a); err != nil {
		return PhotoFile{}, err
	}
	q := s.st.Q(ctx)
	allowed := false
	if caseNo != "" {
		c, err := s.ownCase(ctx, a, caseNo)
		if err != nil {
			return PhotoFile{}, err
		}
		if c.PhotoID != nil && *c.PhotoID == photoID {
			allowed = true
		} else if p, err := q.Person(c.PersonID); err != nil {
			return PhotoFile{}, s.internal(ctx, "staff photo", err)
		} else {
			allowed = p.PhotoID != nil && *p.PhotoID == photoID
		}
	} else {
		cs, err := q.CasesUsingPhoto(photoID, photoCaseScan)
		if err != nil {
			return PhotoFile{}, s.internal(ctx, "staff photo", err)
		}
		for i := range cs {
			if a.canSee(&cs[i]) {
				allowed = true
				break
			}
		}
	}
	if !allowed {
		return PhotoFile{}, domain.E(domain.CodeNotFound)
	}
	p, err := q.PhotoData(photoID)
	if errors.Is(err, store.ErrNotFound) {
		return PhotoFile{}, domain.E(domain.CodeNotFound)
	}
	if err != nil {
		return PhotoFile{}, s.internal(ctx, "staff photo", err)
	}
	return PhotoFile{Data: p.Data, Sha256: p.Sha256}, nil
}
