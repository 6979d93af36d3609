package store

import (
	"context"
	"time"

	"github.com/finsam/finsam/website"
)

// The public site's images (ADR 37): both encoded versions are kept in
// site_images beside their description. Adding or removing one raises the
// site's content version in the same transaction, like every other write
// that changes what the site shows.

const imageMetaColumns = "id, alt, decorative, content_type, hash, width, height, small_width, small_height, created_by, created_at"

func imageMetaDest(im *website.Image) []any {
	return []any{&im.ID, &im.Alt, &im.Decorative, &im.ContentType, &im.Hash, &im.Width, &im.Height,
		&im.SmallWidth, &im.SmallHeight, &im.CreatedBy, &im.Created}
}

// SaveSiteImage stores an image that website.PrepareImage made and
// returns it with its id.
func SaveSiteImage(ctx context.Context, tx *Tx, associationID int64, im website.Image, createdBy string, now time.Time) (website.Image, error) {
	if err := BumpSiteContent(ctx, tx, associationID); err != nil {
		return im, err
	}
	im.CreatedBy, im.Created = createdBy, now.UTC()
	id, err := tx.InsertID(ctx, `INSERT INTO site_images (association_id, alt, decorative, content_type, hash, width, height, data,
		small_width, small_height, small_data, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		associationID, im.Alt, im.Decorative, im.ContentType, im.Hash, im.Width, im.Height, im.Data,
		im.SmallWidth, im.SmallHeight, im.SmallData, im.CreatedBy, im.Created)
	im.ID = id
	return im, err
}

// SiteImages lists the association's images, newest first, without their
// bytes.
func SiteImages(ctx context.Context, q Querier, associationID int64) ([]website.Image, error) {
	return queryRows(ctx, q, imageMetaDest,
		"SELECT "+imageMetaColumns+" FROM site_images WHERE association_id = $1 ORDER BY id DESC", associationID)
}

// SiteImageData reads one of the association's images with the bytes of
// one version, the small one or the large (ErrNotFound when it has no
// image with the id).
func SiteImageData(ctx context.Context, q Querier, associationID, id int64, small bool) (website.Image, error) {
	var im website.Image
	column := "data"
	if small {
		column = "small_data"
	}
	var data []byte
	err := q.QueryRow(ctx, "SELECT "+imageMetaColumns+", "+column+" FROM site_images WHERE id = $1 AND association_id = $2",
		id, associationID).Scan(append(imageMetaDest(&im), &data)...)
	if small {
		im.SmallData = data
	} else {
		im.Data = data
	}
	return im, err
}

// DeleteSiteImage removes one of the association's images (ErrNotFound
// when it has none with the id). Pages that still show it show their alt
// text in its place.
func DeleteSiteImage(ctx context.Context, tx *Tx, associationID, id int64) error {
	if err := BumpSiteContent(ctx, tx, associationID); err != nil {
		return err
	}
	return mustAffect(tx.Exec(ctx, "DELETE FROM site_images WHERE id = $1 AND association_id = $2", id, associationID))
}
