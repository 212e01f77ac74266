// PostgreSQL 15 configuration parameters (GUCs) as Debian 12's postgresql-15 reports them: generated from
// `SELECT name, vartype, unit, min_val, max_val, enumvals, context FROM pg_settings` of a fresh initdb
// cluster, and hidden enum spellings found with `postgres -C NAME -c NAME=VALUE` (guc.c's hidden
// entries: the boolean words of archive_mode, huge_pages, synchronous_commit…, "debug" = debug2, and
// wal_compression's on = pglz). One line per parameter: name|type|unit|min|max|enum values|context.
const TABLE = `
DateStyle|string|||||user
IntervalStyle|enum||||postgres,postgres_verbose,sql_standard,iso_8601|user
TimeZone|string|||||user
allow_in_place_tablespaces|bool|||||superuser
allow_system_table_mods|bool|||||superuser
application_name|string|||||user
archive_cleanup_command|string|||||sighup
archive_command|string|||||sighup
archive_library|string|||||sighup
archive_mode|enum||||always,on,off|postmaster
archive_timeout|integer|s|0|1073741823||sighup
array_nulls|bool|||||user
authentication_timeout|integer|s|1|600||sighup
autovacuum|bool|||||sighup
autovacuum_analyze_scale_factor|real||0|100||sighup
autovacuum_analyze_threshold|integer||0|2147483647||sighup
autovacuum_freeze_max_age|integer||100000|2000000000||postmaster
autovacuum_max_workers|integer||1|262143||postmaster
autovacuum_multixact_freeze_max_age|integer||10000|2000000000||postmaster
autovacuum_naptime|integer|s|1|2147483||sighup
autovacuum_vacuum_cost_delay|real|ms|-1|100||sighup
autovacuum_vacuum_cost_limit|integer||-1|10000||sighup
autovacuum_vacuum_insert_scale_factor|real||0|100||sighup
autovacuum_vacuum_insert_threshold|integer||-1|2147483647||sighup
autovacuum_vacuum_scale_factor|real||0|100||sighup
autovacuum_vacuum_threshold|integer||0|2147483647||sighup
autovacuum_work_mem|integer|kB|-1|2147483647||sighup
backend_flush_after|integer|8kB|0|256||user
backslash_quote|enum||||safe_encoding,on,off|user
backtrace_functions|string|||||superuser
bgwriter_delay|integer|ms|10|10000||sighup
bgwriter_flush_after|integer|8kB|0|256||sighup
bgwriter_lru_maxpages|integer||0|1073741823||sighup
bgwriter_lru_multiplier|real||0|10||sighup
block_size|integer||8192|8192||internal
bonjour|bool|||||postmaster
bonjour_name|string|||||postmaster
bytea_output|enum||||escape,hex|user
check_function_bodies|bool|||||user
checkpoint_completion_target|real||0|1||sighup
checkpoint_flush_after|integer|8kB|0|256||sighup
checkpoint_timeout|integer|s|30|86400||sighup
checkpoint_warning|integer|s|0|2147483647||sighup
client_connection_check_interval|integer|ms|0|2147483647||user
client_encoding|string|||||user
client_min_messages|enum||||debug5,debug4,debug3,debug2,debug1,log,notice,warning,error|user
cluster_name|string|||||postmaster
commit_delay|integer||0|100000||superuser
commit_siblings|integer||0|1000||user
composite_type_mismatch|enum||||error,warn,disabled|superuser
compute_query_id|enum||||auto,regress,on,off|superuser
config_file|string|||||postmaster
constraint_exclusion|enum||||partition,on,off|user
cpu_index_tuple_cost|real||0|1.79769e+308||user
cpu_operator_cost|real||0|1.79769e+308||user
cpu_tuple_cost|real||0|1.79769e+308||user
cursor_tuple_fraction|real||0|1||user
data_checksums|bool|||||internal
data_directory|string|||||postmaster
data_directory_mode|integer||0|511||internal
data_sync_retry|bool|||||postmaster
db_user_namespace|bool|||||sighup
deadlock_timeout|integer|ms|1|2147483647||superuser
debug_assertions|bool|||||internal
debug_discard_caches|integer||0|0||superuser
debug_pretty_print|bool|||||user
debug_print_parse|bool|||||user
debug_print_plan|bool|||||user
debug_print_rewritten|bool|||||user
default_statistics_target|integer||1|10000||user
default_table_access_method|string|||||user
default_tablespace|string|||||user
default_text_search_config|string|||||user
default_toast_compression|enum||||pglz,lz4|user
default_transaction_deferrable|bool|||||user
default_transaction_isolation|enum||||serializable,repeatable read,read committed,read uncommitted|user
default_transaction_read_only|bool|||||user
dynamic_library_path|string|||||superuser
dynamic_shared_memory_type|enum||||posix,sysv,mmap|postmaster
effective_cache_size|integer|8kB|1|2147483647||user
effective_io_concurrency|integer||0|1000||user
enable_async_append|bool|||||user
enable_bitmapscan|bool|||||user
enable_gathermerge|bool|||||user
enable_hashagg|bool|||||user
enable_hashjoin|bool|||||user
enable_incremental_sort|bool|||||user
enable_indexonlyscan|bool|||||user
enable_indexscan|bool|||||user
enable_material|bool|||||user
enable_memoize|bool|||||user
enable_mergejoin|bool|||||user
enable_nestloop|bool|||||user
enable_parallel_append|bool|||||user
enable_parallel_hash|bool|||||user
enable_partition_pruning|bool|||||user
enable_partitionwise_aggregate|bool|||||user
enable_partitionwise_join|bool|||||user
enable_seqscan|bool|||||user
enable_sort|bool|||||user
enable_tidscan|bool|||||user
escape_string_warning|bool|||||user
event_source|string|||||postmaster
exit_on_error|bool|||||user
extension_destdir|string|||||superuser
external_pid_file|string|||||postmaster
extra_float_digits|integer||-15|3||user
force_parallel_mode|enum||||off,on,regress|user
from_collapse_limit|integer||1|2147483647||user
fsync|bool|||||sighup
full_page_writes|bool|||||sighup
geqo|bool|||||user
geqo_effort|integer||1|10||user
geqo_generations|integer||0|2147483647||user
geqo_pool_size|integer||0|2147483647||user
geqo_seed|real||0|1||user
geqo_selection_bias|real||1.5|2||user
geqo_threshold|integer||2|2147483647||user
gin_fuzzy_search_limit|integer||0|2147483647||user
gin_pending_list_limit|integer|kB|64|2147483647||user
hash_mem_multiplier|real||1|1000||user
hba_file|string|||||postmaster
hot_standby|bool|||||postmaster
hot_standby_feedback|bool|||||sighup
huge_page_size|integer|kB|0|2147483647||postmaster
huge_pages|enum||||off,on,try|postmaster
ident_file|string|||||postmaster
idle_in_transaction_session_timeout|integer|ms|0|2147483647||user
idle_session_timeout|integer|ms|0|2147483647||user
ignore_checksum_failure|bool|||||superuser
ignore_invalid_pages|bool|||||postmaster
ignore_system_indexes|bool|||||backend
in_hot_standby|bool|||||internal
integer_datetimes|bool|||||internal
jit|bool|||||user
jit_above_cost|real||-1|1.79769e+308||user
jit_debugging_support|bool|||||superuser-backend
jit_dump_bitcode|bool|||||superuser
jit_expressions|bool|||||user
jit_inline_above_cost|real||-1|1.79769e+308||user
jit_optimize_above_cost|real||-1|1.79769e+308||user
jit_profiling_support|bool|||||superuser-backend
jit_provider|string|||||postmaster
jit_tuple_deforming|bool|||||user
join_collapse_limit|integer||1|2147483647||user
krb_caseins_users|bool|||||sighup
krb_server_keyfile|string|||||sighup
lc_collate|string|||||internal
lc_ctype|string|||||internal
lc_messages|string|||||superuser
lc_monetary|string|||||user
lc_numeric|string|||||user
lc_time|string|||||user
listen_addresses|string|||||postmaster
lo_compat_privileges|bool|||||superuser
local_preload_libraries|string|||||user
lock_timeout|integer|ms|0|2147483647||user
log_autovacuum_min_duration|integer|ms|-1|2147483647||sighup
log_checkpoints|bool|||||sighup
log_connections|bool|||||superuser-backend
log_destination|string|||||sighup
log_directory|string|||||sighup
log_disconnections|bool|||||superuser-backend
log_duration|bool|||||superuser
log_error_verbosity|enum||||terse,default,verbose|superuser
log_executor_stats|bool|||||superuser
log_file_mode|integer||0|511||sighup
log_filename|string|||||sighup
log_hostname|bool|||||sighup
log_line_prefix|string|||||sighup
log_lock_waits|bool|||||superuser
log_min_duration_sample|integer|ms|-1|2147483647||superuser
log_min_duration_statement|integer|ms|-1|2147483647||superuser
log_min_error_statement|enum||||debug5,debug4,debug3,debug2,debug1,info,notice,warning,error,log,fatal,panic|superuser
log_min_messages|enum||||debug5,debug4,debug3,debug2,debug1,info,notice,warning,error,log,fatal,panic|superuser
log_parameter_max_length|integer|B|-1|1073741823||superuser
log_parameter_max_length_on_error|integer|B|-1|1073741823||user
log_parser_stats|bool|||||superuser
log_planner_stats|bool|||||superuser
log_recovery_conflict_waits|bool|||||sighup
log_replication_commands|bool|||||superuser
log_rotation_age|integer|min|0|35791394||sighup
log_rotation_size|integer|kB|0|2097151||sighup
log_startup_progress_interval|integer|ms|0|2147483647||sighup
log_statement|enum||||none,ddl,mod,all|superuser
log_statement_sample_rate|real||0|1||superuser
log_statement_stats|bool|||||superuser
log_temp_files|integer|kB|-1|2147483647||superuser
log_timezone|string|||||sighup
log_transaction_sample_rate|real||0|1||superuser
log_truncate_on_rotation|bool|||||sighup
logging_collector|bool|||||postmaster
logical_decoding_work_mem|integer|kB|64|2147483647||user
maintenance_io_concurrency|integer||0|1000||user
maintenance_work_mem|integer|kB|1024|2147483647||user
max_connections|integer||1|262143||postmaster
max_files_per_process|integer||64|2147483647||postmaster
max_function_args|integer||100|100||internal
max_identifier_length|integer||63|63||internal
max_index_keys|integer||32|32||internal
max_locks_per_transaction|integer||10|2147483647||postmaster
max_logical_replication_workers|integer||0|262143||postmaster
max_parallel_maintenance_workers|integer||0|1024||user
max_parallel_workers|integer||0|1024||user
max_parallel_workers_per_gather|integer||0|1024||user
max_pred_locks_per_page|integer||0|2147483647||sighup
max_pred_locks_per_relation|integer||-2147483648|2147483647||sighup
max_pred_locks_per_transaction|integer||10|2147483647||postmaster
max_prepared_transactions|integer||0|262143||postmaster
max_replication_slots|integer||0|262143||postmaster
max_slot_wal_keep_size|integer|MB|-1|2147483647||sighup
max_stack_depth|integer|kB|100|2147483647||superuser
max_standby_archive_delay|integer|ms|-1|2147483647||sighup
max_standby_streaming_delay|integer|ms|-1|2147483647||sighup
max_sync_workers_per_subscription|integer||0|262143||sighup
max_wal_senders|integer||0|262143||postmaster
max_wal_size|integer|MB|2|2147483647||sighup
max_worker_processes|integer||0|262143||postmaster
min_dynamic_shared_memory|integer|MB|0|2147483647||postmaster
min_parallel_index_scan_size|integer|8kB|0|715827882||user
min_parallel_table_scan_size|integer|8kB|0|715827882||user
min_wal_size|integer|MB|2|2147483647||sighup
old_snapshot_threshold|integer|min|-1|86400||postmaster
output_plugin_libraries|string|||||superuser
parallel_leader_participation|bool|||||user
parallel_setup_cost|real||0|1.79769e+308||user
parallel_tuple_cost|real||0|1.79769e+308||user
password_encryption|enum||||md5,scram-sha-256|user
plan_cache_mode|enum||||auto,force_generic_plan,force_custom_plan|user
port|integer||1|65535||postmaster
post_auth_delay|integer|s|0|2147||backend
pre_auth_delay|integer|s|0|60||sighup
primary_conninfo|string|||||sighup
primary_slot_name|string|||||sighup
promote_trigger_file|string|||||sighup
quote_all_identifiers|bool|||||user
random_page_cost|real||0|1.79769e+308||user
recovery_end_command|string|||||sighup
recovery_init_sync_method|enum||||fsync,syncfs|sighup
recovery_min_apply_delay|integer|ms|0|2147483647||sighup
recovery_prefetch|enum||||off,on,try|sighup
recovery_target|string|||||postmaster
recovery_target_action|enum||||pause,promote,shutdown|postmaster
recovery_target_inclusive|bool|||||postmaster
recovery_target_lsn|string|||||postmaster
recovery_target_name|string|||||postmaster
recovery_target_time|string|||||postmaster
recovery_target_timeline|string|||||postmaster
recovery_target_xid|string|||||postmaster
recursive_worktable_factor|real||0.001|1e+06||user
remove_temp_files_after_crash|bool|||||sighup
restart_after_crash|bool|||||sighup
restore_command|string|||||sighup
restrict_nonsystem_relation_kind|string|||||user
row_security|bool|||||user
search_path|string|||||user
segment_size|integer|8kB|131072|131072||internal
seq_page_cost|real||0|1.79769e+308||user
server_encoding|string|||||internal
server_version|string|||||internal
server_version_num|integer||150020|150020||internal
session_preload_libraries|string|||||superuser
session_replication_role|enum||||origin,replica,local|superuser
shared_buffers|integer|8kB|16|1073741823||postmaster
shared_memory_size|integer|MB|0|2147483647||internal
shared_memory_size_in_huge_pages|integer||-1|2147483647||internal
shared_memory_type|enum||||sysv,mmap|postmaster
shared_preload_libraries|string|||||postmaster
ssl|bool|||||sighup
ssl_ca_file|string|||||sighup
ssl_cert_file|string|||||sighup
ssl_ciphers|string|||||sighup
ssl_crl_dir|string|||||sighup
ssl_crl_file|string|||||sighup
ssl_dh_params_file|string|||||sighup
ssl_ecdh_curve|string|||||sighup
ssl_key_file|string|||||sighup
ssl_library|string|||||internal
ssl_max_protocol_version|enum||||,TLSv1,TLSv1.1,TLSv1.2,TLSv1.3|sighup
ssl_min_protocol_version|enum||||TLSv1,TLSv1.1,TLSv1.2,TLSv1.3|sighup
ssl_passphrase_command|string|||||sighup
ssl_passphrase_command_supports_reload|bool|||||sighup
ssl_prefer_server_ciphers|bool|||||sighup
standard_conforming_strings|bool|||||user
statement_timeout|integer|ms|0|2147483647||user
stats_fetch_consistency|enum||||none,cache,snapshot|user
superuser_reserved_connections|integer||0|262143||postmaster
synchronize_seqscans|bool|||||user
synchronous_commit|enum||||local,remote_write,remote_apply,on,off|user
synchronous_standby_names|string|||||sighup
syslog_facility|enum||||local0,local1,local2,local3,local4,local5,local6,local7|sighup
syslog_ident|string|||||sighup
syslog_sequence_numbers|bool|||||sighup
syslog_split_messages|bool|||||sighup
tcp_keepalives_count|integer||0|2147483647||user
tcp_keepalives_idle|integer|s|0|2147483647||user
tcp_keepalives_interval|integer|s|0|2147483647||user
tcp_user_timeout|integer|ms|0|2147483647||user
temp_buffers|integer|8kB|100|1073741823||user
temp_file_limit|integer|kB|-1|2147483647||superuser
temp_tablespaces|string|||||user
timezone_abbreviations|string|||||user
trace_notify|bool|||||user
trace_recovery_messages|enum||||debug5,debug4,debug3,debug2,debug1,log,notice,warning,error|sighup
trace_sort|bool|||||user
track_activities|bool|||||superuser
track_activity_query_size|integer|B|100|1048576||postmaster
track_commit_timestamp|bool|||||postmaster
track_counts|bool|||||superuser
track_functions|enum||||none,pl,all|superuser
track_io_timing|bool|||||superuser
track_wal_io_timing|bool|||||superuser
transaction_deferrable|bool|||||user
transaction_isolation|enum||||serializable,repeatable read,read committed,read uncommitted|user
transaction_read_only|bool|||||user
transform_null_equals|bool|||||user
unix_socket_directories|string|||||postmaster
unix_socket_group|string|||||postmaster
unix_socket_permissions|integer||0|511||postmaster
update_process_title|bool|||||superuser
vacuum_cost_delay|real|ms|0|100||user
vacuum_cost_limit|integer||1|10000||user
vacuum_cost_page_dirty|integer||0|10000||user
vacuum_cost_page_hit|integer||0|10000||user
vacuum_cost_page_miss|integer||0|10000||user
vacuum_defer_cleanup_age|integer||0|1000000||sighup
vacuum_failsafe_age|integer||0|2100000000||user
vacuum_freeze_min_age|integer||0|1000000000||user
vacuum_freeze_table_age|integer||0|2000000000||user
vacuum_multixact_failsafe_age|integer||0|2100000000||user
vacuum_multixact_freeze_min_age|integer||0|1000000000||user
vacuum_multixact_freeze_table_age|integer||0|2000000000||user
wal_block_size|integer||8192|8192||internal
wal_buffers|integer|8kB|-1|262143||postmaster
wal_compression|enum||||pglz,lz4,zstd,on,off|superuser
wal_consistency_checking|string|||||superuser
wal_decode_buffer_size|integer|B|65536|1073741823||postmaster
wal_init_zero|bool|||||superuser
wal_keep_size|integer|MB|0|2147483647||sighup
wal_level|enum||||minimal,replica,logical|postmaster
wal_log_hints|bool|||||postmaster
wal_receiver_create_temp_slot|bool|||||sighup
wal_receiver_status_interval|integer|s|0|2147483||sighup
wal_receiver_timeout|integer|ms|0|2147483647||sighup
wal_recycle|bool|||||superuser
wal_retrieve_retry_interval|integer|ms|1|2147483647||sighup
wal_segment_size|integer|B|1048576|1073741824||internal
wal_sender_timeout|integer|ms|0|2147483647||user
wal_skip_threshold|integer|kB|0|2147483647||user
wal_sync_method|enum||||fsync,fdatasync,open_sync,open_datasync|sighup
wal_writer_delay|integer|ms|1|10000||sighup
wal_writer_flush_after|integer|8kB|0|2147483647||sighup
work_mem|integer|kB|64|2147483647||user
xmlbinary|enum||||base64,hex|user
xmloption|enum||||content,document|user
zero_damaged_pages|bool|||||superuser
`;

export interface PgGuc {
  name: string;
  type: 'bool' | 'integer' | 'real' | 'string' | 'enum';
  unit: string;
  min: number | null;
  max: number | null;
  values: string[];
  context: string;
}

/** Enum spellings guc.c accepts but pg_settings.enumvals does not list, with the value they give. */
export const PG15_HIDDEN_ENUM: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  archive_mode: { true: 'on', false: 'off', yes: 'on', no: 'off', '1': 'on', '0': 'off' },
  backslash_quote: { true: 'on', false: 'off', yes: 'on', no: 'off', '1': 'on', '0': 'off' },
  compute_query_id: { true: 'on', false: 'off', yes: 'on', no: 'off', '1': 'on', '0': 'off' },
  constraint_exclusion: { true: 'on', false: 'off', yes: 'on', no: 'off', '1': 'on', '0': 'off' },
  force_parallel_mode: { true: 'on', false: 'off', yes: 'on', no: 'off', '1': 'on', '0': 'off' },
  huge_pages: { true: 'on', false: 'off', yes: 'on', no: 'off', '1': 'on', '0': 'off' },
  recovery_prefetch: { true: 'on', false: 'off', yes: 'on', no: 'off', '1': 'on', '0': 'off' },
  synchronous_commit: { true: 'on', false: 'off', yes: 'on', no: 'off', '1': 'on', '0': 'off' },
  client_min_messages: { debug: 'debug2' },
  log_min_error_statement: { debug: 'debug2' },
  log_min_messages: { debug: 'debug2' },
  trace_recovery_messages: { debug: 'debug2' },
  wal_level: { archive: 'replica', hot_standby: 'replica' },
  wal_compression: { true: 'pglz', yes: 'pglz', 1: 'pglz', on: 'pglz', false: 'off', no: 'off', 0: 'off' },
};

export const PG15_GUCS: ReadonlyMap<string, PgGuc> = new Map(
  TABLE.trim()
    .split('\n')
    .map((l) => {
      const [name = '', type = '', unit = '', min = '', max = '', values = '', context = ''] = l.split('|');
      const g: PgGuc = {
        name,
        type: type as PgGuc['type'],
        unit,
        min: min === '' ? null : Number(min),
        max: max === '' ? null : Number(max),
        values: type === 'enum' ? values.split(',') : [],
        context,
      };
      return [name.toLowerCase(), g] as const;
    }),
);
