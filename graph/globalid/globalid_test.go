package globalid

import (
	"errors"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	for _, want := range []ID{
		{Kind: KindGateway, AccountID: "0d37909e38d3e99c29fa2cd343ac421a", GatewayID: "prod-chat"},
		{Kind: KindLog, AccountID: "acc", GatewayID: "gw.with:colon", LogID: "01J9Z\"quoted"},
	} {
		var s string
		if want.Kind == KindGateway {
			s = Gateway(want.AccountID, want.GatewayID)
		} else {
			s = Log(want.AccountID, want.GatewayID, want.LogID)
		}
		got, err := Decode(s)
		if err != nil || got != want {
			t.Fatalf("Decode(%q) = %+v, %v; want %+v", s, got, err, want)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, s := range []string{
		"", "!!!", "bm90IGpzb24", // "not json"
		encode("Gateway", "a"), encode("Log", "a", "b"), encode("User", "a", "b"),
		encode("Gateway", "", "b"), string(make([]byte, 2000)),
	} {
		if _, err := Decode(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("Decode(%q) error = %v, want ErrInvalid", s, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(Gateway("acc", "gw"))
	f.Add(Log("acc", "gw", "log"))
	f.Add("W10")
	f.Add("eyJ9")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := Decode(s)
		if err != nil {
			return
		}
		// Whatever decodes must re-encode to an id that decodes the same.
		var again string
		if id.Kind == KindGateway {
			again = Gateway(id.AccountID, id.GatewayID)
		} else {
			again = Log(id.AccountID, id.GatewayID, id.LogID)
		}
		if id2, err := Decode(again); err != nil || id2 != id {
			t.Fatalf("re-encoding %+v gave %+v, %v", id, id2, err)
		}
	})
}
