# End-to-end cases of the llmroof command: roof_cli_case(NAME EXIT STDERR
# STDOUT_PATTERN ARGS...). Bad inputs are paired with the exact error text.
set(TRY_GETTIME "Try 'llmroof gettime --help'.")

# Good runs, with a figure worked out by hand where one is printed.
# 10240000 x 8192 x 1024 in bf16: F = 2*10240000*8192*1024 = 171798691840000.
roof_cli_case(gettime_json 0 "" "\"flops\": 171798691840000.0," gettime 10240000 8192 1024 --hw h100-sxm --format json)
roof_cli_case(gettime_csv 0 "" "^hw,m,k,n,batch,dtype,ideal,flops,bytes,intensity,time_s," gettime 10240000 8192 1024 --format csv)
# Ideal on the test profile: 4096^3 bf16, F = 137438953472, P = 123.4e12:
# t = F / P = 1.1137678563371151e-3 s (compute-bound: B/BW = 4.22e-5 s).
roof_cli_case(gettime_ideal 0 "" "\"time_s\": 0.001113767856337115" gettime 4096 4096 4096 --ideal --hw fixtures/hw/good.cfg --format json)
roof_cli_case(gettime_suffix_dims 0 "" "^  m +8192$" gettime 8Ki 8Ki 8k)
# Dims whose product overflows int64: 4e18 * 8192 * 1024 * 2 = 6.7108864e25.
roof_cli_case(gettime_overflow 0 "" "\"flops\": 6.7108864e\\+?25," gettime 4000000000000000000 8192 1024 --format json)
roof_cli_case(gettime_options_after 0 "" "^  dtype +fp32$" gettime --dtype fp32 4096 4096 4096)
# bytes = 2*(1*1e6 + 1e6*1e3 + 1*1e3) = 2.002002e9 B over 400e9 B/s = 5.005005 ms.
roof_cli_case(gettime_set 0 "" "^  memory_time_s +5.005 ms$" gettime 1 1000000 1000 --set hw.memory.bandwidth=400G --set hw.efficiency.memory=1 --ideal)
roof_cli_case(help 0 "" "^usage: llmroof" --help)
roof_cli_case(gettime_help 0 "" "^Examples:" gettime --help)
roof_cli_case(version 0 "" "^llmroof 0.1.0" --version)
roof_cli_case(default_run 0 "" "^  tpot_s +[0-9.]+ ms$")
roof_cli_case(hw_list 0 "" "^mi300x " hw list)
roof_cli_case(hw_show_json 0 "" "\"bf16\": 989400000000000.0" hw show h100-sxm --format json)
roof_cli_case(hw_show_suffix_file 0 "" "memory.bandwidth +2.385 TB/s" hw show fixtures/hw/suffix.cfg)
roof_cli_case(params_lists_hw 0 "" "^hw.memory.bandwidth +B/s " params)
roof_cli_case(comm_allreduce 0 "" "\"algo\": \"nvls\"" comm all_reduce 64Mi --group 8 --format json)
roof_cli_case(comm_group1 0 "" "\"time_s\": 0.0," comm all_reduce 1Gi --group 1 --format json)
roof_cli_case(comm_sweep 0 "" "^17179869184,nvls," comm all_reduce --sweep --group 8 --format csv)

# Bad dimensions and options of gettime.
roof_cli_case(gettime_not_number 2 "llmroof: gettime: invalid M: 'abc' is not a number" "" gettime abc 8192 1024)
roof_cli_case(gettime_negative 2 "llmroof: gettime: K must be a positive integer (got -5)" "" gettime 1024 -5 1024)
roof_cli_case(gettime_zero 2 "llmroof: gettime: N must be a positive integer (got 0)" "" gettime 1024 1024 0)
roof_cli_case(gettime_fraction 2 "llmroof: gettime: M must be a whole number (got 1.5)" "" gettime 1.5 1024 1024)
roof_cli_case(gettime_too_big 2 "llmroof: gettime: M is too large for a 64-bit count (got 1e30)" "" gettime 1e30 1024 1024)
roof_cli_case(gettime_bad_suffix 2 "llmroof: gettime: invalid M: bad number '10X': unknown suffix 'X' (use k M G T P or Ki Mi Gi Ti Pi)" "" gettime 10X 1024 1024)
roof_cli_case(gettime_arg_count 2 "llmroof: gettime: expected M K N (got 2 arguments)\n${TRY_GETTIME}" "" gettime 1024 1024)
roof_cli_case(gettime_bad_batch 2 "llmroof: gettime: --batch must be a positive integer (got -2)" "" gettime 1 1 1 --batch -2)
roof_cli_case(gettime_unknown_dtype 2 "llmroof: --dtype: unknown dtype 'fp7' (expected fp64, fp32, tf32, bf16, fp16, fp8 or int8)" "" gettime 1 1 1 --dtype fp7)
roof_cli_case(gettime_unsupported_dtype 1 "llmroof: gettime: 'a100-sxm' has no fp8 peak (hw.compute.fp8 is not set)" "" gettime 1 1 1 --dtype fp8 --hw a100-sxm)
roof_cli_case(gettime_unknown_option 2 "llmroof: gettime: unknown option '--fast'\n${TRY_GETTIME}" "" gettime 1 1 1 --fast)
roof_cli_case(gettime_missing_value 2 "llmroof: gettime: option '--dtype' needs a value\n${TRY_GETTIME}" "" gettime 1 1 1 --dtype)
roof_cli_case(bad_format 2 "llmroof: --format: unknown format 'xml' (expected table, csv or json)" "" gettime 1 1 1 --format xml)
roof_cli_case(unknown_command 2 "" "" frobnicate)

# Bad profiles: unknown name, and files with each kind of mistake.
roof_cli_case(unknown_profile 2 "llmroof: --hw: unknown hardware profile 'h900' (did you mean 'h200'? see 'llmroof hw list')" "" gettime 1 1 1 --hw h900)
roof_cli_case(profile_missing_file 3 "llmroof: fixtures/hw/nonexistent.cfg: cannot read profile: No such file or directory" "" gettime 1 1 1 --hw fixtures/hw/nonexistent.cfg)
roof_cli_case(profile_syntax 3 "llmroof: fixtures/hw/syntax.cfg:7: syntax error" "" gettime 1 1 1 --hw fixtures/hw/syntax.cfg)
roof_cli_case(profile_missing_field 3 "llmroof: fixtures/hw/missing_bandwidth.cfg:5: missing setting 'memory.bandwidth'" "" gettime 1 1 1 --hw fixtures/hw/missing_bandwidth.cfg)
roof_cli_case(profile_negative_field 3 "llmroof: fixtures/hw/negative_bandwidth.cfg:6: 'memory.bandwidth' must be positive (got -2.385e+12)" "" gettime 1 1 1 --hw fixtures/hw/negative_bandwidth.cfg)
roof_cli_case(profile_out_of_range 3 "llmroof: fixtures/hw/efficiency_range.cfg:9: 'efficiency.compute' must be in (0, 1] (got 1.7)" "" gettime 1 1 1 --hw fixtures/hw/efficiency_range.cfg)
roof_cli_case(profile_typo 3 "llmroof: fixtures/hw/typo.cfg:6: unknown setting 'memory.bandwith' (did you mean 'memory.bandwidth'?)" "" gettime 1 1 1 --hw fixtures/hw/typo.cfg)
roof_cli_case(profile_not_number 3 "llmroof: fixtures/hw/not_a_number.cfg:6: 'memory.bandwidth': 'fast' is not a number" "" gettime 1 1 1 --hw fixtures/hw/not_a_number.cfg)
roof_cli_case(profile_bad_suffix 3 "llmroof: fixtures/hw/bad_suffix.cfg:6: 'memory.bandwidth': bad number '2.385X': unknown suffix 'X' (use k M G T P or Ki Mi Gi Ti Pi)" "" gettime 1 1 1 --hw fixtures/hw/bad_suffix.cfg)

# --set: unknown path, bad suffix, out of range, malformed.
roof_cli_case(set_unknown 2 "llmroof: --set: unknown parameter 'hw.memory.bandwdth' (did you mean 'hw.memory.bandwidth'?)" "" gettime 1 1 1 --set hw.memory.bandwdth=3T)
roof_cli_case(set_unknown_far 2 "llmroof: --set: unknown parameter 'foo' (see 'llmroof params')" "" gettime 1 1 1 --set foo=1)
roof_cli_case(set_bad_suffix 2 "llmroof: --set: 'hw.memory.bandwidth': bad number '3.35X': unknown suffix 'X' (use k M G T P or Ki Mi Gi Ti Pi)" "" gettime 1 1 1 --set hw.memory.bandwidth=3.35X)
roof_cli_case(set_negative 2 "llmroof: --set: 'hw.memory.bandwidth' must be positive (got -1)" "" gettime 1 1 1 --set hw.memory.bandwidth=-1)
roof_cli_case(set_no_equals 2 "llmroof: --set: expected PATH=VALUE (got 'hw.memory.bandwidth')" "" gettime 1 1 1 --set hw.memory.bandwidth)
roof_cli_case(set_int_fraction 2 "llmroof: --set: 'hw.gemm.units' must be a whole number (got 1.5)" "" gettime 1 1 1 --set hw.gemm.units=1.5)

# comm: bad collectives, sizes, placements and algorithms.
roof_cli_case(comm_unknown 2 "llmroof: comm: unknown collective 'allreduce' (expected all_reduce, all_gather, reduce_scatter, all_to_all, send_recv or broadcast)" "" comm allreduce 1Mi --group 8)
roof_cli_case(comm_no_group 2 "llmroof: comm: --group P is required" "" comm all_reduce 1Mi)
roof_cli_case(comm_bad_size 2 "llmroof: comm: invalid SIZE: bad number '1Q': unknown suffix 'Q' (use k M G T P or Ki Mi Gi Ti Pi)" "" comm all_reduce 1Q --group 8)
roof_cli_case(comm_negative_size 2 "llmroof: comm: invalid SIZE: size must be a whole number of bytes >= 0 (got -4)" "" comm all_reduce -4 --group 8)
roof_cli_case(comm_placement_too_big 2 "llmroof: --placement: a group of 16 does not fit one node of 8 GPUs ('h100-sxm')" "" comm all_reduce 1Mi --group 16 --placement node)
roof_cli_case(comm_nvls_a100 2 "llmroof: --algo: algorithm 'nvls' cannot run all_reduce: the profile's switch has no NVLS (hw.network.node.nvls)" "" comm all_reduce 1Gi --group 8 --algo nvls --hw a100-sxm)
roof_cli_case(comm_nodes_uneven 2 "llmroof: --nodes: group 12 does not divide evenly over 5 nodes" "" comm all_reduce 1Gi --group 12 --nodes 5)

# estimate: every deployment config runs (seed configs whose batch does not
# fit memory warn on stderr but still answer).
file(GLOB deployment_configs ${PROJECT_SOURCE_DIR}/configs/*.cfg ${PROJECT_SOURCE_DIR}/validation/configs/*.cfg)
foreach(cfg IN LISTS deployment_configs)
  get_filename_component(cfg_name ${cfg} NAME_WE)
  roof_cli_case(estimate_${cfg_name} 0 "" "\"tokens_per_s\": [0-9]" estimate ${cfg} --format json --quiet)
endforeach()
roof_cli_case(estimate_json_totals 0 "" "\"gemm_flops\": [0-9]" estimate ../configs/llama3-70b-tp8.cfg --format json)
roof_cli_case(estimate_csv 0 "" "^prefill,dense,q_proj," estimate ../configs/llama3-70b-tp8.cfg --format csv)
roof_cli_case(estimate_table_ops 0 "" "^q_proj +\\(1, 32768, 8192, 1024\\)" estimate ../configs/llama3-70b-tp8.cfg)
roof_cli_case(estimate_memory_warning 0 "llmroof: warning: 1156.4 GB per GPU does not fit the 80.0 GB of 'h100-sxm'" "fits +false" estimate ../configs/seed-001-tp8-pp2.cfg)
roof_cli_case(estimate_other_hw 0 "" "^  hw +b200$" estimate ../configs/llama3-70b-tp8.cfg --hw b200)
roof_cli_case(explain_ttft 0 "" "^    model.layers += 80 +\\(.*configs/llama3-70b-tp8.cfg:11\\)$" estimate ../configs/llama3-70b-tp8.cfg --explain metrics.ttft_s)
roof_cli_case(explain_op 0 "" "^    workload.batch += 4 +\\(--set workload.batch=4\\)$" estimate ../configs/llama3-70b-tp8.cfg --set workload.batch=4 --explain ops.decode.dense.q_proj.time_s)
roof_cli_case(explain_profile_line 0 "" "^    hw.memory.bandwidth += 3.350 TB/s +\\(hw/profiles/h100-sxm.cfg:21\\)$" estimate ../configs/llama3-70b-tp8.cfg --explain ops.prefill.dense.down_proj.time_s)
roof_cli_case(explain_unknown_op 2 "llmroof: --explain: no op 'qq' in the decode dense layer (it has: attn_norm, q_proj, k_proj, v_proj, flash_attn, o_proj, attn_allreduce, attn_residual, mlp_norm, gate_proj, up_proj, act, down_proj, mlp_allreduce, mlp_residual)" "" estimate ../configs/llama3-70b-tp8.cfg --explain ops.decode.dense.qq.time_s)
roof_cli_case(estimate_plan_error 1 "llmroof: plan: model.heads (64) is not divisible by parallel.tp (3)" "" estimate ../configs/llama3-70b-tp8.cfg --set parallel.tp=3)
roof_cli_case(estimate_set_typo 2 "llmroof: --set: unknown parameter 'model.hiden' (did you mean 'model.hidden'?)" "" estimate ../configs/llama3-70b-tp8.cfg --set model.hiden=3)
roof_cli_case(estimate_bad_enum 2 "llmroof: --set: 'workload.attention' must be naive or flash (got 'fast')" "" estimate ../configs/llama3-70b-tp8.cfg --set workload.attention=fast)
roof_cli_case(estimate_missing_config 3 "llmroof: nothere.cfg: cannot read config: No such file or directory" "" estimate nothere.cfg)
roof_cli_case(estimate_config_typo 3 "llmroof: fixtures/configs/typo.cfg:4: unknown setting 'model.hiden' (did you mean 'model.hidden'?)" "" estimate fixtures/configs/typo.cfg)
roof_cli_case(estimate_config_missing 3 "llmroof: fixtures/configs/missing_layers.cfg:2: missing setting 'model.layers'" "" estimate fixtures/configs/missing_layers.cfg)
roof_cli_case(estimate_two_configs 2 "llmroof: estimate: expected one CONFIG (got 2 arguments)\nTry 'llmroof estimate --help'." "" estimate a.cfg b.cfg)

# validate: the published cases use stored data only, so they are
# deterministic. AZ-A100-1k: 2*1024^3 FLOP / 119.4 TFLOP/s = 17.9856 us.
set(TRY_VALIDATE "Try 'llmroof validate --help'.")
roof_cli_case(validate_published 0 "" "^gemm-a100,AZ-A100-1k,m=1024 n=1024 k=1024 fp16,a100-sxm,fit,1.798562519262981[0-9]e-05," validate published --format csv)
roof_cli_case(validate_published_groups 0 "" "^allreduce-h100 +25 +13 " validate published)
roof_cli_case(validate_published_fit 0 "" "^allreduce-h100 +h100-sxm +hw.network.node.nvls_latency " validate published --fit)
roof_cli_case(validate_published_goal 4 "llmroof: validate: group 'gemm-a100' MAPE 9.3% exceeds --max-mape 1%" "" validate published --max-mape 1)
roof_cli_case(validate_no_what 2 "llmroof: validate: expected 'gemm' or 'published'\n${TRY_VALIDATE}" "" validate)
roof_cli_case(validate_unknown_what 2 "llmroof: validate: unknown validation 'gpu' (expected gemm or published)\n${TRY_VALIDATE}" "" validate gpu)
roof_cli_case(validate_bad_threads 2 "llmroof: validate: --threads must be a whole number in [1, 1024] (got '0')\n${TRY_VALIDATE}" "" validate gemm --threads 0)
roof_cli_case(validate_bad_mape 2 "llmroof: validate: --max-mape must be a positive percentage (got '-5')\n${TRY_VALIDATE}" "" validate published --max-mape -5)
roof_cli_case(validate_quick_published 2 "llmroof: validate: --quick applies to 'validate gemm' only\n${TRY_VALIDATE}" "" validate published --quick)
roof_cli_case(validate_fit_gemm 2 "llmroof: validate: --fit applies to 'validate published' only\n${TRY_VALIDATE}" "" validate gemm --fit)
roof_cli_case(validate_missing_data 3 "llmroof: nowhere/gemm_measured.csv: cannot read data: No such file or directory" "" validate published --data nowhere)
roof_cli_case(validate_bad_data 3 "llmroof: fixtures/validation/gemm_measured.csv:3: 'fast' is not a number (column 'tflops')" "" validate published --data fixtures/validation)
roof_cli_case(validate_data_no_column 3 "llmroof: fixtures/validation-nocol/gemm_measured.csv: no column 'tflops'" "" validate published --data fixtures/validation-nocol)
