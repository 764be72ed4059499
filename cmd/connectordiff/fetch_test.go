package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// definitionServer serves the example pair over TLS, and other answers by
// path, recording the headers of every request.
func definitionServer(t *testing.T) (*httptest.Server, *[]http.Header) {
	t.Helper()
	oldDef, err := os.ReadFile(exampleOld)
	require.NoError(t, err)
	newDef, err := os.ReadFile(exampleNew)
	require.NoError(t, err)
	var mu sync.Mutex
	var seen []http.Header
	mux := http.NewServeMux()
	serve := func(data []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write(data)
		}
	}
	mux.HandleFunc("/old.json", serve(oldDef))
	mux.HandleFunc("/new.json", serve(newDef))
	mux.HandleFunc("/moved.json", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new.json", http.StatusFound)
	})
	mux.HandleFunc("/to-http.json", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+r.Host+"/new.json", http.StatusFound)
	})
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<html><body>a repository page</body></html>"))
	})
	mux.HandleFunc("/slow.json", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func runWithClient(client *http.Client, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := runEnv(args, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, http: client})
	return code, out.String(), errOut.String()
}

// OLD and NEW given as https URLs are downloaded and compared as the same
// files on disk would be; fix takes them too.
func TestCompareURLs(t *testing.T) {
	srv, seen := definitionServer(t)
	code, fromFiles, _ := runCLI("compare", "--format", "json", exampleOld, exampleNew)
	require.Equal(t, exitFindings, code)
	code, fromURLs, stderr := runWithClient(srv.Client(), "compare", "--format", "json", srv.URL+"/old.json", srv.URL+"/moved.json")
	require.Equal(t, exitFindings, code, stderr)
	names := strings.NewReplacer(exampleOld, "OLD", exampleNew, "NEW", srv.URL+"/old.json", "OLD", srv.URL+"/moved.json", "NEW")
	assert.Equal(t, names.Replace(fromFiles), names.Replace(fromURLs), "a redirect within https is followed")

	code, _, stderr = runWithClient(srv.Client(), "fix", "--format", "json", srv.URL+"/old.json", srv.URL+"/new.json")
	assert.Equal(t, exitFindings, code, stderr)

	for _, h := range *seen {
		assert.Empty(t, h.Get("Authorization"), "no credentials are sent")
		assert.Empty(t, h.Get("Cookie"))
		assert.True(t, strings.HasPrefix(h.Get("User-Agent"), "connectordiff/"))
	}
}

// What is not downloaded, and why: each error names the URL and exits 2.
func TestCompareURLRefused(t *testing.T) {
	srv, seen := definitionServer(t)
	host := strings.TrimPrefix(srv.URL, "https://")
	for _, tc := range []struct{ name, url, want string }{
		{"plain http", "http://" + host + "/old.json", "only https URLs are fetched (got http://)"},
		{"credentials", "https://user:secret@" + host + "/old.json", "a URL with a user name or password is refused"},
		{"a folder", srv.URL + "/connectors/contoso/", "a connector folder cannot be fetched"},
		{"a web page", srv.URL + "/page.html", "answers with a web page, not a definition file"},
		{"not found", srv.URL + "/missing.json", "fetching: HTTP 404 Not Found"},
		{"redirect to http", srv.URL + "/to-http.json", "redirected to a http:// URL, which is not fetched"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(*seen)
			code, _, stderr := runWithClient(srv.Client(), "compare", tc.url, exampleNew)
			assert.Equal(t, exitError, code)
			assert.Contains(t, stderr, tc.url, "the error names the URL")
			assert.Contains(t, stderr, tc.want)
			if tc.name == "credentials" || tc.name == "plain http" || tc.name == "a folder" {
				assert.Equal(t, before, len(*seen), "refused before any request")
			}
		})
	}
	t.Run("over the size limit", func(t *testing.T) {
		code, _, stderr := runWithClient(srv.Client(), "compare", "--max-bytes", "100", srv.URL+"/old.json", exampleNew)
		assert.Equal(t, exitError, code)
		assert.Contains(t, stderr, srv.URL+"/old.json: the file is over the limit of 100 bytes")
	})
	t.Run("a server that never answers", func(t *testing.T) {
		code, _, stderr := runWithClient(srv.Client(), "compare", "--timeout", "300ms", srv.URL+"/slow.json", exampleNew)
		assert.Equal(t, exitError, code)
		assert.Contains(t, stderr, srv.URL+"/slow.json: fetching:")
		assert.Contains(t, stderr, "--timeout 300ms reached")
	})
	t.Run("fix", func(t *testing.T) {
		code, _, stderr := runWithClient(srv.Client(), "fix", srv.URL+"/connectors/contoso/", exampleNew)
		assert.Equal(t, exitError, code)
		assert.Contains(t, stderr, "a connector folder cannot be fetched")
	})
}
