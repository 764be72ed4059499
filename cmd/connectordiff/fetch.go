package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/connector"
)

// fetchTimeout bounds one download, headers to last byte; --timeout bounds
// the whole run on top.
const fetchTimeout = 60 * time.Second

// maxRedirects is how many redirects a download follows.
const maxRedirects = 10

// isURL reports whether a command-line argument names a file by URL rather
// than on disk or in git (where "https://x" would read as REV:PATH).
func isURL(arg string) bool {
	i := strings.Index(arg, "://")
	if i <= 0 {
		return false
	}
	scheme := arg[:i]
	for _, r := range scheme {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// fetch downloads the definition a URL names: https only, no credentials
// sent (none in the URL, no cookies, no netrc), no redirect away from https,
// within the size limit of files and a timeout. Errors name the URL.
func fetch(ctx context.Context, client *http.Client, raw string, load connector.LoadOptions) ([]byte, error) {
	fail := func(err error, format string, args ...any) error {
		return &connector.LoadError{File: raw, Msg: fmt.Sprintf(format, args...), Err: err}
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, fail(err, "not a URL: %v", err)
	case !strings.EqualFold(u.Scheme, "https"):
		return nil, fail(errNotFetchable, "only https URLs are fetched (got %s://)", u.Scheme)
	case u.User != nil:
		return nil, fail(errNotFetchable, "a URL with a user name or password is refused: connectordiff sends no credentials")
	case u.Host == "":
		return nil, fail(errNotFetchable, "the URL names no host")
	case strings.HasSuffix(u.Path, "/") || u.Path == "":
		return nil, fail(errNotFetchable, "a URL names one file; a connector folder cannot be fetched "+
			"(give the raw URL of %s, or clone the repository and compare folders)", connector.DefinitionFile)
	}
	if client == nil {
		client = http.DefaultClient
	}
	c := *client
	c.Jar = nil // no cookies, in or out
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !strings.EqualFold(req.URL.Scheme, "https") {
			return fmt.Errorf("redirected to a %s:// URL, which is not fetched", req.URL.Scheme)
		}
		if req.URL.User != nil {
			return errors.New("redirected to a URL with credentials, which is not fetched")
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("more than %d redirects", maxRedirects)
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fail(err, "%v", err)
	}
	req.Header.Set("User-Agent", "connectordiff/"+connectordiff.Version())
	req.Header.Set("Accept", "application/json, application/yaml, text/yaml, text/plain;q=0.9, */*;q=0.1")
	resp, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is the error's file already
		}
		return nil, fail(err, "fetching: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fail(errNotFetchable, "fetching: HTTP %s", resp.Status)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/html" {
		return nil, fail(errNotFetchable, "the URL answers with a web page, not a definition file "+
			"(a connector folder cannot be fetched; on GitHub, use the file's raw URL)")
	}
	limit := load.MaxBytes
	if limit <= 0 {
		limit = connector.DefaultMaxBytes
	}
	tooLarge := fail(connector.ErrTooLarge, "the file is over the limit of %d bytes (raise the limit with --max-bytes)", limit)
	if resp.ContentLength > limit {
		return nil, tooLarge
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fail(err, "fetching: %v", err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge
	}
	return data, nil
}

// errNotFetchable: a URL connectordiff does not download.
var errNotFetchable = errors.New("not fetchable")
