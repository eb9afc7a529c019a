package ui

import (
	"fmt"
	"net/http"

	"github.com/inkform/inkform"
)

// replayInk is the ink a document page's replay draws: its pages in the
// order written, each with its size in millimetres and its strokes as
// [x, y, t] points (mm, mm, ms as the pen gave them).
type replayInk struct {
	Pages []replayPage `json:"pages"`
}

// replayPage is one page of replayInk.
type replayPage struct {
	Address string         `json:"address"`
	Number  int            `json:"number"`
	W       float64        `json:"w"`
	H       float64        `json:"h"`
	Strokes [][][3]float64 `json:"strokes"`
}

// handleDocumentInk serves GET /documents/{id}/ink.json: the document's
// ink for the replay on its page (replay.js). Reading it is audited.
func (s *Server) handleDocumentInk(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	doc, err := s.Documents.FindDocument(ctx, v.Org.ID, r.PathValue("id"))
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		writeJSON(w, http.StatusNotFound, stationAnswer{Message: "There is no such document."})
		return nil
	} else if err != nil {
		return fmt.Errorf("find document: %w", err)
	}
	form, err := s.Forms.FindFormVersion(ctx, v.Org.ID, doc.FormID, doc.FormVersion)
	if err != nil {
		return fmt.Errorf("find form of document %s: %w", doc.ID, err)
	}
	ink, err := s.Documents.FindDocumentInk(ctx, v.Org.ID, doc.ID)
	if err != nil {
		return fmt.Errorf("find ink of document %s: %w", doc.ID, err)
	}
	if err := s.auditRead(r, v, doc.ID, "ink"); err != nil {
		return err
	}
	out := replayInk{Pages: []replayPage{}}
	for _, p := range ink.Pages {
		rp := replayPage{Address: p.Address, W: 210, H: 297, Strokes: make([][][3]float64, 0, len(p.Strokes))}
		if n, ok := form.PageOf(doc, p.Address); ok {
			rp.Number, rp.W, rp.H = n, form.Pages[n-1].Size.W, form.Pages[n-1].Size.H
		}
		for _, st := range p.Strokes {
			pts := make([][3]float64, len(st.Points))
			for i, pt := range st.Points {
				pts[i] = [3]float64{pt.X, pt.Y, float64(pt.T)}
			}
			rp.Strokes = append(rp.Strokes, pts)
		}
		out.Pages = append(out.Pages, rp)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
