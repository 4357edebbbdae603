/*
 * test-list.h — every integration test (tests/itest/run-itest), in the
 * manner of libuv's test/test-list.h: one TEST_DECLARE line per test, then
 * the table tests/itest/run-itest.c hands to run_tests
 * (tests/unit/runner.h). A test is written in a tests/itest/test_*.c file
 * with TEST_IMPL(name), and listed here twice. The runner starts the tests
 * with the longest timeouts first, so give a long test its timeout
 * (TEST_ENTRY_TIMEOUT) even when the default would do. A test that judges
 * latency under abuse it makes itself runs last and alone
 * (TEST_ENTRY_ALONE): beside the suite's other daemons it judged their load.
 */
#ifndef OCOP_TESTS_ITEST_TEST_LIST_H
#define OCOP_TESTS_ITEST_TEST_LIST_H

#include "runner.h"

/* tests/itest/test_import.c */
TEST_DECLARE(migrations_embedded_exactly)
TEST_DECLARE(ctl_usage_without_database)
TEST_DECLARE(migrate_fresh_then_noop)
TEST_DECLARE(migrate_refuses_newer_schema)
TEST_DECLARE(migrate_refuses_changed_checksum)
TEST_DECLARE(migrate_steps_and_failures)
TEST_DECLARE(migrate_concurrent_starters)
TEST_DECLARE(import_requires_schema)
TEST_DECLARE(import_sample)
TEST_DECLARE(reimport_changes_nothing)
TEST_DECLARE(import_renewal_and_changes)
TEST_DECLARE(import_bad_catalogue)
TEST_DECLARE(import_database_conflict)
TEST_DECLARE(import_reordered_columns)
TEST_DECLARE(import_dry_run)
TEST_DECLARE(import_header_problems)
TEST_DECLARE(import_problems_one_line)
TEST_DECLARE(import_variants)
TEST_DECLARE(import_single_sku_form)
TEST_DECLARE(import_withdraws_dropped_variant)
TEST_DECLARE(import_bad_variants)
TEST_DECLARE(ctl_subprocess)
TEST_DECLARE(import_content_columns)
TEST_DECLARE(import_bulk_equals_product_by_product)
TEST_DECLARE(import_bad_content)
TEST_DECLARE(ctl_content_commands)

/* tests/itest/test_ctl_data.c */
TEST_DECLARE(ctl_orders_by_shop_product_status_and_day)
TEST_DECLARE(ctl_stock_set_reaches_every_marketplace_and_refuses_below_reserved)
TEST_DECLARE(ctl_reimport_keeps_sold_stock_unless_stocktake)
TEST_DECLARE(ctl_cert_revoke_delists_the_same_day_and_decide_lists_again)
TEST_DECLARE(ctl_bad_command_lines_get_one_clear_line)

/* tests/itest/test_schema.c */
TEST_DECLARE(logic_files_embedded_exactly)
TEST_DECLARE(upgrade_from_version_8_matches_a_fresh_database)
TEST_DECLARE(changed_logic_is_applied_again)
TEST_DECLARE(logic_rules)
TEST_DECLARE(every_definition_in_one_logic_file)

/* tests/itest/test_lifecycle.c */
TEST_DECLARE(sample_states_on_2026_11_25)
TEST_DECLARE(day_boundary_in_ho_chi_minh_whatever_the_timezone)
TEST_DECLARE(validity_defaults_to_36_calendar_months)
TEST_DECLARE(revocation_takes_effect_on_its_day)
TEST_DECLARE(recertification_after_a_gap_and_upgrade)
TEST_DECLARE(grace_keeps_eligibility_up_to_180_days)
TEST_DECLARE(contradictory_certificates_are_refused_clearly)
TEST_DECLARE(expiry_warnings_fire_once_per_tier)
TEST_DECLARE(strip_falls_back_to_delist_without_the_capability)
TEST_DECLARE(ctl_certs_and_alerts)

/* tests/itest/test_mirror.c */
TEST_DECLARE(mirror_lists_exactly_the_eligible_products)
TEST_DECLARE(price_and_stock_changes_reach_the_marketplace)
TEST_DECLARE(kill9_during_initial_mirror_lists_each_product_once)
TEST_DECLARE(malformed_response_fails_the_job_not_the_daemon)
TEST_DECLARE(rate_limited_and_failing_calls_are_retried)
TEST_DECLARE(sighup_reloads_config_and_refuses_a_bad_one)
TEST_DECLARE(rate_limit_holds_and_429_flood_fails_nothing)
TEST_DECLARE(expired_token_is_refreshed_and_no_job_fails)
TEST_DECLARE(refresh_answered_429_pauses_the_shop)
TEST_DECLARE(revoked_refresh_token_needs_reauth_without_a_storm)
TEST_DECLARE(bad_config_stops_with_file_and_line)
TEST_DECLARE(shop_authorize_exchanges_a_code)

/* tests/itest/test_expiry.c */
TEST_DECLARE(lapsed_certificate_delists_and_new_one_relists)
TEST_DECLARE(strip_policy_keeps_selling_without_claims)
TEST_DECLARE(revocation_withdraws_at_once)

/* tests/itest/test_channels.c */
TEST_DECLARE(lazada_mirror_price_stock_delist_relist_token)
TEST_DECLARE(tiktok_mirror_price_stock_delist_relist_token)

/* tests/itest/test_variants.c */
TEST_DECLARE(variants_mirror_to_every_channel)
TEST_DECLARE(lost_answer_to_a_new_items_models_is_read_not_sent_again)
TEST_DECLARE(sale_of_one_variant_moves_only_its_stock)
TEST_DECLARE(unknown_variant_sku_is_kept_and_flagged)
TEST_DECLARE(revocation_strips_claims_from_every_variant)
TEST_DECLARE(variant_added_and_withdrawn_on_every_channel)
TEST_DECLARE(kill9_during_variant_creation_leaves_no_duplicate)

/* tests/itest/test_content.c */
TEST_DECLARE(images_uploaded_once_reused_and_uploaded_again_when_changed)
TEST_DECLARE(missing_mandatory_attribute_is_held_then_sent)
TEST_DECLARE(claim_image_is_stripped_and_restored)
TEST_DECLARE(kill9_during_an_upload_leaves_one_item_per_product)
TEST_DECLARE(bad_images_and_categories_hold_only_their_products)

/* tests/itest/test_postmart.c */
TEST_DECLARE(catalogue_feed_written_and_revocation_deactivates)
TEST_DECLARE(missing_export_dir_is_logged)

/* tests/itest/test_orders.c */
TEST_DECLARE(polled_order_takes_stock_and_every_listing_hears_it)
TEST_DECLARE(order_poll_interval_under_a_second_is_kept)
TEST_DECLARE(same_order_by_poll_and_webhook_twice_each_is_one_order)
TEST_DECLARE(cancellation_after_shipment_restocks_once)
TEST_DECLARE(two_channels_selling_the_last_unit_end_at_zero_with_the_oversell_recorded)
TEST_DECLARE(unknown_sku_is_kept_and_flagged)
TEST_DECLARE(forged_oversized_nested_and_stale_pushes_write_nothing)
TEST_DECLARE(unreadable_order_is_retried_then_dead_lettered_with_the_reason)
TEST_DECLARE(postmart_order_file_is_taken_whole_or_rejected_with_the_line)
TEST_DECLARE(lazada_offset_cap_moves_the_cursor_and_lazada_tiktok_pushes_verify)
TEST_DECLARE(orders_skipped_by_a_window_that_changed_while_listed_are_read)
TEST_DECLARE(kill_9_during_5000_orders_loses_and_doubles_nothing)

/* tests/itest/test_reconcile.c */
TEST_DECLARE(drift_is_recorded_and_corrected)
TEST_DECLARE(interval_zero_reads_nothing_back)

/* tests/itest/test_midnight.c */
TEST_DECLARE(real_midnight_withdraws_the_lapsed_listing)
TEST_DECLARE(clock_jumping_a_day_is_seen_within_a_minute)

/* tests/itest/test_reload.c */
TEST_DECLARE(sighup_storm_while_mirroring_polling_and_refreshing)

/* tests/itest/test_tokens.c */
TEST_DECLARE(tokens_sealed_at_rest_rotated_and_a_wrong_key_named)
TEST_DECLARE(one_refused_refresh_does_not_pause_the_shop)
TEST_DECLARE(refreshed_pair_survives_the_database_away)

/* tests/itest/test_assortment.c */
TEST_DECLARE(assortment_commands_edit_audit_and_refuse_bad_input)
TEST_DECLARE(cooperative_and_centre_shops_list_their_assortments)

/* tests/itest/test_operate.c */
TEST_DECLARE(operate_commands_check_their_input)
TEST_DECLARE(operate_retry_resync_resume_and_remove)
/* tests/itest/test_oplog.c */
TEST_DECLARE(identical_failures_are_grouped_and_dead_jobs_say_what_to_do)
TEST_DECLARE(long_mirror_logs_progress_and_withdrawal_says_why)

/* tests/itest/test_bad_start.c */
TEST_DECLARE(bad_listen_address_changes_nothing)
TEST_DECLARE(bad_config_file_changes_nothing)
TEST_DECLARE(bad_reload_keeps_the_running_config)
/* tests/itest/test_crash.c */
TEST_DECLARE(segv_mid_mirror_is_said_and_the_restart_loses_nothing)
/* tests/itest/test_sync_race.c */
TEST_DECLARE(sync_racing_a_job_that_died_does_not_bring_it_back)
TEST_DECLARE(sync_racing_a_job_that_died_keeps_its_own_change)
TEST_DECLARE(outcomes_do_not_wait_on_a_change_that_names_their_listings)
/* tests/itest/test_check_config.c */
TEST_DECLARE(check_config_passes_a_config_that_works)
TEST_DECLARE(check_config_reports_every_problem)
TEST_DECLARE(ocopd_never_ready_without_a_connector)
/* tests/itest/test_admin.c */
TEST_DECLARE(admin_endpoint_health_metrics_and_status_page)
TEST_DECLARE(late_applied_creates_are_settled_not_sent_twice)
TEST_DECLARE(dropped_create_answers_are_never_resent)
TEST_DECLARE(lazada_sku_already_there_is_adopted)

/* tests/itest/test_push_abuse.c */
TEST_DECLARE(push_endpoint_holds_under_slow_clients_and_forged_floods)
TEST_DECLARE(push_endpoint_full_of_slow_clients_still_takes_genuine_pushes)
TEST_DECLARE(forged_push_is_checked_once_per_key_pair_and_genuine_ones_find_their_shop)
TEST_DECLARE(check_config_weighs_push_connections_against_the_open_file_limit)

TASK_LIST_START
  /* tests/itest/test_import.c */
  TEST_ENTRY(migrations_embedded_exactly),
  TEST_ENTRY(ctl_usage_without_database),
  TEST_ENTRY(migrate_fresh_then_noop),
  TEST_ENTRY(migrate_refuses_newer_schema),
  TEST_ENTRY(migrate_refuses_changed_checksum),
  TEST_ENTRY(migrate_steps_and_failures),
  TEST_ENTRY(migrate_concurrent_starters),
  TEST_ENTRY(import_requires_schema),
  TEST_ENTRY(import_sample),
  TEST_ENTRY(reimport_changes_nothing),
  TEST_ENTRY(import_renewal_and_changes),
  TEST_ENTRY(import_bad_catalogue),
  TEST_ENTRY(import_database_conflict),
  TEST_ENTRY(import_reordered_columns),
  TEST_ENTRY(import_dry_run),
  TEST_ENTRY(import_header_problems),
  TEST_ENTRY(import_problems_one_line),
  TEST_ENTRY(import_variants),
  TEST_ENTRY(import_single_sku_form),
  TEST_ENTRY(import_withdraws_dropped_variant),
  TEST_ENTRY(import_bad_variants),
  TEST_ENTRY(ctl_subprocess),
  TEST_ENTRY(import_content_columns),
  TEST_ENTRY(import_bulk_equals_product_by_product),
  TEST_ENTRY(import_bad_content),
  TEST_ENTRY(ctl_content_commands),
  TEST_ENTRY_TIMEOUT(ctl_orders_by_shop_product_status_and_day, 120),
  TEST_ENTRY_TIMEOUT(ctl_stock_set_reaches_every_marketplace_and_refuses_below_reserved, 120),
  TEST_ENTRY(ctl_reimport_keeps_sold_stock_unless_stocktake),
  TEST_ENTRY_TIMEOUT(ctl_cert_revoke_delists_the_same_day_and_decide_lists_again, 120),
  TEST_ENTRY(ctl_bad_command_lines_get_one_clear_line),
  /* tests/itest/test_schema.c */
  TEST_ENTRY(logic_files_embedded_exactly),
  TEST_ENTRY(upgrade_from_version_8_matches_a_fresh_database),
  TEST_ENTRY(changed_logic_is_applied_again),
  TEST_ENTRY(logic_rules),
  TEST_ENTRY(every_definition_in_one_logic_file),
  /* tests/itest/test_lifecycle.c */
  TEST_ENTRY(sample_states_on_2026_11_25),
  TEST_ENTRY(day_boundary_in_ho_chi_minh_whatever_the_timezone),
  TEST_ENTRY(validity_defaults_to_36_calendar_months),
  TEST_ENTRY(revocation_takes_effect_on_its_day),
  TEST_ENTRY(recertification_after_a_gap_and_upgrade),
  TEST_ENTRY(grace_keeps_eligibility_up_to_180_days),
  TEST_ENTRY(contradictory_certificates_are_refused_clearly),
  TEST_ENTRY(expiry_warnings_fire_once_per_tier),
  TEST_ENTRY(strip_falls_back_to_delist_without_the_capability),
  TEST_ENTRY(ctl_certs_and_alerts),
  /* tests/itest/test_mirror.c */
  TEST_ENTRY_TIMEOUT(mirror_lists_exactly_the_eligible_products, 120),
  TEST_ENTRY_TIMEOUT(price_and_stock_changes_reach_the_marketplace, 120),
  TEST_ENTRY_TIMEOUT(kill9_during_initial_mirror_lists_each_product_once, 240),
  TEST_ENTRY_TIMEOUT(malformed_response_fails_the_job_not_the_daemon, 120),
  TEST_ENTRY_TIMEOUT(rate_limited_and_failing_calls_are_retried, 120),
  TEST_ENTRY_TIMEOUT(sighup_reloads_config_and_refuses_a_bad_one, 120),
  TEST_ENTRY_TIMEOUT(rate_limit_holds_and_429_flood_fails_nothing, 120),
  TEST_ENTRY_TIMEOUT(expired_token_is_refreshed_and_no_job_fails, 120),
  TEST_ENTRY_TIMEOUT(refresh_answered_429_pauses_the_shop, 180),
  TEST_ENTRY_TIMEOUT(revoked_refresh_token_needs_reauth_without_a_storm, 120),
  TEST_ENTRY(bad_config_stops_with_file_and_line),
  TEST_ENTRY_TIMEOUT(shop_authorize_exchanges_a_code, 120),
  /* tests/itest/test_expiry.c */
  TEST_ENTRY_TIMEOUT(lapsed_certificate_delists_and_new_one_relists, 180),
  TEST_ENTRY_TIMEOUT(strip_policy_keeps_selling_without_claims, 180),
  TEST_ENTRY_TIMEOUT(revocation_withdraws_at_once, 120),
  /* tests/itest/test_channels.c */
  TEST_ENTRY_TIMEOUT(lazada_mirror_price_stock_delist_relist_token, 180),
  TEST_ENTRY_TIMEOUT(tiktok_mirror_price_stock_delist_relist_token, 180),
  /* tests/itest/test_postmart.c */
  TEST_ENTRY_TIMEOUT(variants_mirror_to_every_channel, 180),
  TEST_ENTRY_TIMEOUT(lost_answer_to_a_new_items_models_is_read_not_sent_again, 180),
  TEST_ENTRY_TIMEOUT(sale_of_one_variant_moves_only_its_stock, 180),
  TEST_ENTRY_TIMEOUT(unknown_variant_sku_is_kept_and_flagged, 180),
  TEST_ENTRY_TIMEOUT(revocation_strips_claims_from_every_variant, 180),
  TEST_ENTRY_TIMEOUT(variant_added_and_withdrawn_on_every_channel, 240),
  TEST_ENTRY_TIMEOUT(kill9_during_variant_creation_leaves_no_duplicate, 240),
  /* tests/itest/test_content.c */
  TEST_ENTRY_TIMEOUT(images_uploaded_once_reused_and_uploaded_again_when_changed, 180),
  TEST_ENTRY_TIMEOUT(missing_mandatory_attribute_is_held_then_sent, 180),
  TEST_ENTRY_TIMEOUT(claim_image_is_stripped_and_restored, 180),
  TEST_ENTRY_TIMEOUT(kill9_during_an_upload_leaves_one_item_per_product, 180),
  TEST_ENTRY_TIMEOUT(bad_images_and_categories_hold_only_their_products, 180),
  /* tests/itest/test_postmart.c */
  TEST_ENTRY_TIMEOUT(catalogue_feed_written_and_revocation_deactivates, 180),
  TEST_ENTRY_TIMEOUT(missing_export_dir_is_logged, 120),
  /* tests/itest/test_orders.c */
  TEST_ENTRY_TIMEOUT(polled_order_takes_stock_and_every_listing_hears_it, 120),
  TEST_ENTRY_TIMEOUT(order_poll_interval_under_a_second_is_kept, 120),
  TEST_ENTRY_TIMEOUT(same_order_by_poll_and_webhook_twice_each_is_one_order, 120),
  TEST_ENTRY_TIMEOUT(cancellation_after_shipment_restocks_once, 120),
  TEST_ENTRY_TIMEOUT(two_channels_selling_the_last_unit_end_at_zero_with_the_oversell_recorded, 120),
  TEST_ENTRY_TIMEOUT(unknown_sku_is_kept_and_flagged, 120),
  TEST_ENTRY_TIMEOUT(forged_oversized_nested_and_stale_pushes_write_nothing, 120),
  TEST_ENTRY_TIMEOUT(unreadable_order_is_retried_then_dead_lettered_with_the_reason, 120),
  TEST_ENTRY_TIMEOUT(postmart_order_file_is_taken_whole_or_rejected_with_the_line, 120),
  TEST_ENTRY_TIMEOUT(lazada_offset_cap_moves_the_cursor_and_lazada_tiktok_pushes_verify, 120),
  TEST_ENTRY_TIMEOUT(orders_skipped_by_a_window_that_changed_while_listed_are_read, 120),
  TEST_ENTRY_TIMEOUT(kill_9_during_5000_orders_loses_and_doubles_nothing, 400),
  /* tests/itest/test_reconcile.c */
  TEST_ENTRY_TIMEOUT(drift_is_recorded_and_corrected, 120),
  TEST_ENTRY_TIMEOUT(interval_zero_reads_nothing_back, 120),
  /* tests/itest/test_midnight.c */
  TEST_ENTRY_TIMEOUT(real_midnight_withdraws_the_lapsed_listing, 150),
  TEST_ENTRY_TIMEOUT(clock_jumping_a_day_is_seen_within_a_minute, 240),
  /* tests/itest/test_reload.c */
  TEST_ENTRY_TIMEOUT(sighup_storm_while_mirroring_polling_and_refreshing, 900),
  /* tests/itest/test_tokens.c */
  TEST_ENTRY_TIMEOUT(tokens_sealed_at_rest_rotated_and_a_wrong_key_named, 300),
  TEST_ENTRY_TIMEOUT(one_refused_refresh_does_not_pause_the_shop, 240),
  TEST_ENTRY_TIMEOUT(refreshed_pair_survives_the_database_away, 300),
  /* tests/itest/test_assortment.c */
  TEST_ENTRY(assortment_commands_edit_audit_and_refuse_bad_input),
  TEST_ENTRY_TIMEOUT(cooperative_and_centre_shops_list_their_assortments, 180),
  /* tests/itest/test_operate.c */
  TEST_ENTRY_TIMEOUT(operate_commands_check_their_input, 120),
  TEST_ENTRY_TIMEOUT(operate_retry_resync_resume_and_remove, 240),
  /* tests/itest/test_bad_start.c */
  TEST_ENTRY(bad_listen_address_changes_nothing),
  TEST_ENTRY(bad_config_file_changes_nothing),
  TEST_ENTRY(bad_reload_keeps_the_running_config),
  /* tests/itest/test_crash.c */
  TEST_ENTRY_TIMEOUT(segv_mid_mirror_is_said_and_the_restart_loses_nothing, 240),
  /* tests/itest/test_sync_race.c */
  TEST_ENTRY(sync_racing_a_job_that_died_does_not_bring_it_back),
  TEST_ENTRY(sync_racing_a_job_that_died_keeps_its_own_change),
  TEST_ENTRY(outcomes_do_not_wait_on_a_change_that_names_their_listings),
  /* tests/itest/test_check_config.c */
  TEST_ENTRY(check_config_passes_a_config_that_works),
  TEST_ENTRY(check_config_reports_every_problem),
  TEST_ENTRY(ocopd_never_ready_without_a_connector),
  /* tests/itest/test_oplog.c */
  TEST_ENTRY_TIMEOUT(identical_failures_are_grouped_and_dead_jobs_say_what_to_do, 120),
  TEST_ENTRY_TIMEOUT(long_mirror_logs_progress_and_withdrawal_says_why, 180),
  /* tests/itest/test_admin.c */
  TEST_ENTRY_TIMEOUT(admin_endpoint_health_metrics_and_status_page, 240),
  /* tests/itest/test_once.c */
  TEST_ENTRY_TIMEOUT(late_applied_creates_are_settled_not_sent_twice, 300),
  TEST_ENTRY_TIMEOUT(dropped_create_answers_are_never_resent, 300),
  TEST_ENTRY_TIMEOUT(lazada_sku_already_there_is_adopted, 180),
  /* tests/itest/test_push_abuse.c */
  TEST_ENTRY_ALONE(push_endpoint_holds_under_slow_clients_and_forged_floods, 240),
  TEST_ENTRY_ALONE(push_endpoint_full_of_slow_clients_still_takes_genuine_pushes, 180),
  TEST_ENTRY_TIMEOUT(forged_push_is_checked_once_per_key_pair_and_genuine_ones_find_their_shop, 120),
  TEST_ENTRY(check_config_weighs_push_connections_against_the_open_file_limit),
TASK_LIST_END

#endif
