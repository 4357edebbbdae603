# daemon/order_csv.mk — the PostMart order-file reader (daemon/order_csv.c)
# and its unit tests; included from daemon/local.mk (paths from the top).
