/*
 * test-list.h — every test of the unit suite (tests/unit/run-unit), in the
 * manner of libuv's test/test-list.h: one TEST_DECLARE line per test, then
 * the table tests/unit/run-unit.c hands to run_tests (tests/unit/runner.h).
 * A test is written in a tests/unit/test_*.c file with TEST_IMPL(name), and
 * listed here twice. The connector tests (tests/unit/test_shopee.c and the
 * others built by connectors/local.mk) are programs of their own for now.
 */
#ifndef OCOP_TESTS_UNIT_TEST_LIST_H
#define OCOP_TESTS_UNIT_TEST_LIST_H

#include "runner.h"

/* tests/unit/test_core.c */
TEST_DECLARE(log_quotes_values_that_need_it)
TEST_DECLARE(jsondepth_limits_nesting)
TEST_DECLARE(log_value_cannot_forge_a_field_or_line)
TEST_DECLARE(log_numbers_of_every_width)
TEST_DECLARE(log_truncates_safely)
TEST_DECLARE(log_line_is_logfmt)
TEST_DECLARE(config_defaults_and_values)
TEST_DECLARE(config_errors_name_file_and_line)
TEST_DECLARE(config_reports_every_problem)
TEST_DECLARE(config_refuses_duplicate_keys)
TEST_DECLARE(config_refuses_nul_and_oversize)
TEST_DECLARE(config_missing_file)
TEST_DECLARE(backoff_grows_caps_and_jitters)
TEST_DECLARE(secret_read_and_cached)
TEST_DECLARE(secret_refuses_loose_files)
TEST_DECLARE(clock_vn_day_boundary)
TEST_DECLARE(clock_ms_to_midnight)
TEST_DECLARE(clock_ignores_machine_timezone)
TEST_DECLARE(ratelimit_bucket_and_burst)
TEST_DECLARE(ratelimit_pause_and_listing)

/* tests/unit/test_tokenseal.c */
TEST_DECLARE(tokenseal_round_trip_hides_the_token)
TEST_DECLARE(tokenseal_refuses_moved_damaged_and_other_key)
TEST_DECLARE(tokenseal_key_text_is_checked)
TEST_DECLARE(tokenkey_follows_a_rotated_file)

/* tests/unit/test_csv.c */
TEST_DECLARE(csv_quoting)
TEST_DECLARE(csv_embedded_newlines)
TEST_DECLARE(csv_crlf)
TEST_DECLARE(csv_bom)
TEST_DECLARE(csv_invalid_utf8)
TEST_DECLARE(csv_syntax_errors)
TEST_DECLARE(csv_empty_lines)
TEST_DECLARE(csv_no_trailing_newline)
TEST_DECLARE(csv_field_limit)
TEST_DECLARE(csv_fields_limit)
TEST_DECLARE(csv_record_limit)
TEST_DECLARE(csv_file_limit)
TEST_DECLARE(csv_file_limit_pipe)
TEST_DECLARE(csv_header)
TEST_DECLARE(csv_header_error_one_line)
TEST_DECLARE(csv_sample_file)

/* tests/unit/test_push_check.c */
TEST_DECLARE(push_check_length_limit)
TEST_DECLARE(push_check_body_rules)
TEST_DECLARE(push_check_age_window)

/* tests/unit/test_outcomes.c */
TEST_DECLARE(outcomes_batch_what_arrives_meanwhile)
TEST_DECLARE(outcomes_failed_batch_goes_one_by_one)

/* tests/unit/test_db.c */
TEST_DECLARE(db_fifo_params)
TEST_DECLARE(db_sql_error)
TEST_DECLARE(db_listen_notify)
TEST_DECLARE(db_reconnect_after_terminate)
TEST_DECLARE(db_setup_sql)
TEST_DECLARE(db_setup_failure_keeps_down)
TEST_DECLARE(db_query_timeout)
TEST_DECLARE(db_close_with_queued)
TEST_DECLARE(db_close_while_connecting)
TEST_DECLARE(db_backoff_does_not_block)
TEST_DECLARE(db_bad_conninfo_syntax)
TEST_DECLARE(db_connect_switches_socket)

/* tests/unit/test_http.c */
TEST_DECLARE(http_get)
TEST_DECLARE(http_post_exact_body)
TEST_DECLARE(http_response_too_large)
TEST_DECLARE(http_timeout)
TEST_DECLARE(http_connection_refused)
TEST_DECLARE(http_retry_after)
TEST_DECLARE(http_concurrent_50)
TEST_DECLARE(http_close_in_flight)
TEST_DECLARE(http_bad_requests_fail_async)
TEST_DECLARE(http_close_idle)
TEST_DECLARE(http_send_once_never_resends)
TEST_DECLARE(http_hold_stops_a_request_waiting_for_a_connection)

/* tests/unit/test_order_csv.c */
TEST_DECLARE(order_csv_good_file)
TEST_DECLARE(order_csv_crlf_bom)
TEST_DECLARE(order_csv_effects)
TEST_DECLARE(order_csv_time_zones)
TEST_DECLARE(order_csv_bad_times)
TEST_DECLARE(order_csv_bad_ids)
TEST_DECLARE(order_csv_bad_status)
TEST_DECLARE(order_csv_quantities)
TEST_DECLARE(order_csv_prices)
TEST_DECLARE(order_csv_duplicate_sku)
TEST_DECLARE(order_csv_split_order)
TEST_DECLARE(order_csv_disagreement)
TEST_DECLARE(order_csv_columns)
TEST_DECLARE(order_csv_empty_and_header_only)
TEST_DECLARE(order_csv_many_errors)
TEST_DECLARE(order_csv_error_cap)
TEST_DECLARE(order_csv_syntax_error)
TEST_DECLARE(order_csv_field_count)
TEST_DECLARE(order_csv_sku_rules)
TEST_DECLARE(order_csv_total_limit)
TEST_DECLARE(order_csv_file_api)
TEST_DECLARE(order_csv_row_limit)

/* tests/unit/test_registry.c */
TEST_DECLARE(generations_share_an_unchanged_module_until_the_last_lets_go)
TEST_DECLARE(replaced_file_is_read_again_while_the_old_generation_runs)
TEST_DECLARE(broken_and_duplicate_modules_are_left_out)
TEST_DECLARE(connectors_export_the_abi6_entry)

/* tests/unit/test_call.c */
TEST_DECLARE(call_verdict_table)
TEST_DECLARE(call_stages_stop_in_order)
TEST_DECLARE(call_sends_parses_and_pauses)
TEST_DECLARE(call_transport_failure_still_asks_the_connector)
TEST_DECLARE(call_auth_link_is_built_not_sent)

/* tests/unit/test_idset.c */
TEST_DECLARE(idset_finds_sorted_and_appended_ids)
/* tests/unit/test_order_doc.c */
TEST_DECLARE(order_doc_orders_lines_and_bad)
TEST_DECLARE(order_doc_unknown_amounts_are_null)
TEST_DECLARE(order_doc_empty_batch)
TEST_DECLARE(order_doc_escapes_text)
TEST_DECLARE(order_doc_gathers_batches_in_order)

/* tests/unit/test_image.c */
TEST_DECLARE(image_good_jpeg)
TEST_DECLARE(image_good_png)
TEST_DECLARE(image_mime_and_ext)
TEST_DECLARE(image_truncated_jpeg)
TEST_DECLARE(image_damaged_jpeg)
TEST_DECLARE(image_truncated_png)
TEST_DECLARE(image_png_crc)
TEST_DECLARE(image_png_bad_header)
TEST_DECLARE(image_other_formats)
TEST_DECLARE(image_huge_header_refused_before_decoding)
TEST_DECLARE(image_too_many_bytes)
TEST_DECLARE(image_sample_files)
TEST_DECLARE(image_check_is_thread_safe)
TEST_DECLARE(image_samples_are_reproducible)

/* tests/unit/test_admin_render.c */
TEST_DECLARE(metrics_escape_labels_and_build_histograms)
TEST_DECLARE(status_page_escapes_and_says_what_it_leaves_out)
TEST_DECLARE(textbuf_html_and_printf)

/* tests/unit/test_deadline.c */
TEST_DECLARE(deadline_shuts_down_only_requests_not_in_time)
TEST_DECLARE(deadline_evicts_the_oldest_but_never_the_spared)
TEST_DECLARE(deadline_makes_room_only_after_the_grace)
TEST_DECLARE(lograte_allows_a_burst_a_second)

TASK_LIST_START
  /* tests/unit/test_core.c */
  TEST_ENTRY(log_quotes_values_that_need_it),
  TEST_ENTRY(jsondepth_limits_nesting),
  TEST_ENTRY(log_value_cannot_forge_a_field_or_line),
  TEST_ENTRY(log_numbers_of_every_width),
  TEST_ENTRY(log_truncates_safely),
  TEST_ENTRY(log_line_is_logfmt),
  TEST_ENTRY(config_defaults_and_values),
  TEST_ENTRY(config_errors_name_file_and_line),
  TEST_ENTRY(config_reports_every_problem),
  TEST_ENTRY(config_refuses_duplicate_keys),
  TEST_ENTRY(config_refuses_nul_and_oversize),
  TEST_ENTRY(config_missing_file),
  TEST_ENTRY(backoff_grows_caps_and_jitters),
  TEST_ENTRY(secret_read_and_cached),
  TEST_ENTRY(secret_refuses_loose_files),
  TEST_ENTRY(tokenseal_round_trip_hides_the_token),
  TEST_ENTRY(tokenseal_refuses_moved_damaged_and_other_key),
  TEST_ENTRY(tokenseal_key_text_is_checked),
  TEST_ENTRY(tokenkey_follows_a_rotated_file),
  TEST_ENTRY(clock_vn_day_boundary),
  TEST_ENTRY(clock_ms_to_midnight),
  TEST_ENTRY(clock_ignores_machine_timezone),
  TEST_ENTRY(ratelimit_bucket_and_burst),
  TEST_ENTRY(ratelimit_pause_and_listing),
  /* tests/unit/test_csv.c */
  TEST_ENTRY(csv_quoting),
  TEST_ENTRY(csv_embedded_newlines),
  TEST_ENTRY(csv_crlf),
  TEST_ENTRY(csv_bom),
  TEST_ENTRY(csv_invalid_utf8),
  TEST_ENTRY(csv_syntax_errors),
  TEST_ENTRY(csv_empty_lines),
  TEST_ENTRY(csv_no_trailing_newline),
  TEST_ENTRY(csv_field_limit),
  TEST_ENTRY(csv_fields_limit),
  TEST_ENTRY(csv_record_limit),
  TEST_ENTRY(csv_file_limit),
  TEST_ENTRY(csv_file_limit_pipe),
  TEST_ENTRY(csv_header),
  TEST_ENTRY(csv_header_error_one_line),
  TEST_ENTRY(csv_sample_file),
  /* tests/unit/test_push_check.c */
  TEST_ENTRY(push_check_length_limit),
  TEST_ENTRY(push_check_body_rules),
  TEST_ENTRY(push_check_age_window),
  /* tests/unit/test_outcomes.c */
  TEST_ENTRY_TIMEOUT(outcomes_batch_what_arrives_meanwhile, 30),
  TEST_ENTRY_TIMEOUT(outcomes_failed_batch_goes_one_by_one, 30),
  /* tests/unit/test_db.c */
  TEST_ENTRY_TIMEOUT(db_fifo_params, 30),
  TEST_ENTRY_TIMEOUT(db_sql_error, 30),
  TEST_ENTRY_TIMEOUT(db_listen_notify, 30),
  TEST_ENTRY_TIMEOUT(db_reconnect_after_terminate, 30),
  TEST_ENTRY_TIMEOUT(db_setup_sql, 30),
  TEST_ENTRY_TIMEOUT(db_setup_failure_keeps_down, 30),
  TEST_ENTRY_TIMEOUT(db_query_timeout, 30),
  TEST_ENTRY_TIMEOUT(db_close_with_queued, 30),
  TEST_ENTRY_TIMEOUT(db_close_while_connecting, 30),
  TEST_ENTRY_TIMEOUT(db_backoff_does_not_block, 30),
  TEST_ENTRY_TIMEOUT(db_bad_conninfo_syntax, 30),
  TEST_ENTRY_TIMEOUT(db_connect_switches_socket, 30),
  /* tests/unit/test_http.c */
  TEST_ENTRY_TIMEOUT(http_get, 30),
  TEST_ENTRY_TIMEOUT(http_post_exact_body, 30),
  TEST_ENTRY_TIMEOUT(http_response_too_large, 30),
  TEST_ENTRY_TIMEOUT(http_timeout, 30),
  TEST_ENTRY_TIMEOUT(http_connection_refused, 30),
  TEST_ENTRY_TIMEOUT(http_retry_after, 30),
  TEST_ENTRY_TIMEOUT(http_concurrent_50, 30),
  TEST_ENTRY_TIMEOUT(http_close_in_flight, 30),
  TEST_ENTRY_TIMEOUT(http_bad_requests_fail_async, 30),
  TEST_ENTRY_TIMEOUT(http_close_idle, 30),
  TEST_ENTRY_TIMEOUT(http_send_once_never_resends, 30),
  TEST_ENTRY_TIMEOUT(http_hold_stops_a_request_waiting_for_a_connection, 30),
  /* tests/unit/test_order_csv.c */
  TEST_ENTRY(order_csv_good_file),
  TEST_ENTRY(order_csv_crlf_bom),
  TEST_ENTRY(order_csv_effects),
  TEST_ENTRY(order_csv_time_zones),
  TEST_ENTRY(order_csv_bad_times),
  TEST_ENTRY(order_csv_bad_ids),
  TEST_ENTRY(order_csv_bad_status),
  TEST_ENTRY(order_csv_quantities),
  TEST_ENTRY(order_csv_prices),
  TEST_ENTRY(order_csv_duplicate_sku),
  TEST_ENTRY(order_csv_split_order),
  TEST_ENTRY(order_csv_disagreement),
  TEST_ENTRY(order_csv_columns),
  TEST_ENTRY(order_csv_empty_and_header_only),
  TEST_ENTRY(order_csv_many_errors),
  TEST_ENTRY(order_csv_error_cap),
  TEST_ENTRY(order_csv_syntax_error),
  TEST_ENTRY(order_csv_field_count),
  TEST_ENTRY(order_csv_sku_rules),
  TEST_ENTRY(order_csv_total_limit),
  TEST_ENTRY(order_csv_file_api),
  TEST_ENTRY(order_csv_row_limit),
  /* tests/unit/test_registry.c */
  TEST_ENTRY(generations_share_an_unchanged_module_until_the_last_lets_go),
  TEST_ENTRY(replaced_file_is_read_again_while_the_old_generation_runs),
  TEST_ENTRY(broken_and_duplicate_modules_are_left_out),
  TEST_ENTRY(connectors_export_the_abi6_entry),
  /* tests/unit/test_call.c */
  TEST_ENTRY(call_verdict_table),
  TEST_ENTRY(call_stages_stop_in_order),
  TEST_ENTRY(call_sends_parses_and_pauses),
  TEST_ENTRY(call_transport_failure_still_asks_the_connector),
  TEST_ENTRY(call_auth_link_is_built_not_sent),
  /* tests/unit/test_idset.c */
  TEST_ENTRY(idset_finds_sorted_and_appended_ids),
  /* tests/unit/test_order_doc.c */
  TEST_ENTRY(order_doc_orders_lines_and_bad),
  TEST_ENTRY(order_doc_unknown_amounts_are_null),
  TEST_ENTRY(order_doc_empty_batch),
  TEST_ENTRY(order_doc_escapes_text),
  TEST_ENTRY(order_doc_gathers_batches_in_order),
  /* tests/unit/test_image.c */
  TEST_ENTRY(image_good_jpeg),
  TEST_ENTRY(image_good_png),
  TEST_ENTRY(image_mime_and_ext),
  TEST_ENTRY(image_truncated_jpeg),
  TEST_ENTRY(image_damaged_jpeg),
  TEST_ENTRY(image_truncated_png),
  TEST_ENTRY(image_png_crc),
  TEST_ENTRY(image_png_bad_header),
  TEST_ENTRY(image_other_formats),
  TEST_ENTRY(image_huge_header_refused_before_decoding),
  TEST_ENTRY(image_too_many_bytes),
  TEST_ENTRY(image_sample_files),
  TEST_ENTRY(image_check_is_thread_safe),
  TEST_ENTRY(image_samples_are_reproducible),
  /* tests/unit/test_admin_render.c */
  TEST_ENTRY(metrics_escape_labels_and_build_histograms),
  TEST_ENTRY(status_page_escapes_and_says_what_it_leaves_out),
  TEST_ENTRY(textbuf_html_and_printf),
  /* tests/unit/test_deadline.c */
  TEST_ENTRY(deadline_shuts_down_only_requests_not_in_time),
  TEST_ENTRY(deadline_evicts_the_oldest_but_never_the_spared),
  TEST_ENTRY(deadline_makes_room_only_after_the_grace),
  TEST_ENTRY(lograte_allows_a_burst_a_second),
TASK_LIST_END

#endif
