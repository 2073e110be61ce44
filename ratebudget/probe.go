package ratebudget

import (
	_ "github.com/hashicorp/golang-lru/v2/expirable"
	_ "github.com/redis/go-redis/v9"
	_ "golang.org/x/sync/singleflight"
	_ "golang.org/x/time/rate"
)
