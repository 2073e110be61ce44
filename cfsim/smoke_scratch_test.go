package cfsim

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestScratch(t *testing.T) {
	t0 := time.Now()
	s := New(Options{})
	fmt.Println("gen", time.Since(t0))
	ts := httptest.NewServer(s)
	defer ts.Close()
	for _, q := range []string{"per_page=2", "per_page=2&meta_info=true&order_by=model&order_by_direction=asc", `filters=[{"key":"metadata.key","operator":"eq","value":["beta"]}]&per_page=1&meta_info=true`} {
		req, _ := http.NewRequest("GET", ts.URL+"/client/v4/accounts/"+DefaultAccountID+"/ai-gateway/gateways/prod-chat/logs?"+q, nil)
		req.Header.Set("Authorization", "Bearer "+DemoToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.StatusCode, resp.Header, string(b))
	}
	l := s.Logs("prod-chat")
	req, _ := http.NewRequest("GET", ts.URL+"/accounts/"+DefaultAccountID+"/ai-gateway/gateways/prod-chat/logs/"+l[5].ID, nil)
	req.Header.Set("Authorization", "Bearer "+DemoToken)
	resp, _ := http.DefaultClient.Do(req)
	b, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(b))
	ties := 0
	for i := 1; i < len(l); i++ {
		if l[i].CreatedAt.Equal(l[i-1].CreatedAt) {
			ties++
		}
	}
	fmt.Println("ties", ties, l[0].CreatedAt, l[len(l)-1].CreatedAt)
}
