# Honest answers for a buyer (issue 25 items 1-4): a deployment fits only at
# its peak over the request, against capacity x workload.memory.utilization
# - workload.memory.reserve (0.9 and 1.79 GiB = 1921997865 B by default:
# 80e9 x 0.9 - 1921997865 = 70.078e9 B usable on an H100 SXM, 141e9 x 0.9 -
# 1921997865 = 124.978e9 B on an H200).

# The issue's compare: Llama-3-70B, batch 128, 16384 tokens generated. KV
# at the last token, 8 GPUs: 2 x 80 layers x 1 KV head (8 over tp 8) x 128 x
# 2 B x 128 sequences x (2048 + 16384) = 96.64e9 B per GPU, above the
# 70.078e9 of an H100 alone (no plan of 8 GPUs holds less: 8 KV heads), and
# below the H200's with the 17.64e9 B of weights (114.3e9 <= 124.98e9).
# Before, the config's phase (prefill) was checked: "H100 fits, 0.52".
roof_cli_case(compare_peak_h100_none 0 "" "^h100-sxm +8 +none .*no plan fits memory$" compare ../configs/llama3-70b-tp8.cfg --hw h100-sxm,h200 --set workload.batch=128 --set workload.gen_tokens=16384)
roof_cli_case(compare_peak_h200 0 "" "^h200 +8 +tp 8, pp 1, dp 1, cp 1, ep 1, mb 1 .* objective$" compare ../configs/llama3-70b-tp8.cfg --hw h100-sxm,h200 --set workload.batch=128 --set workload.gen_tokens=16384)
# The same whatever the configured phase.
roof_cli_case(compare_peak_phase_decode 0 "" "^h100-sxm +8 +none .*no plan fits memory$" compare ../configs/llama3-70b-tp8.cfg --hw h100-sxm,h200 --set workload.batch=128 --set workload.gen_tokens=16384 --set workload.phase=decode)
# With a constraint the row is the recommended plan, on gpus_needed GPUs:
# 8 GPUs of H100 cannot hold the KV (above), 16 can (tp 8 x dp 2: 48.3e9
# of KV + 17.64e9 of weights = 65.96e9 <= 70.078e9 with decode's few MB of
# activations); memory is what ruled out 8.
roof_cli_case(compare_recommended 0 "" "^h100-sxm +16 +tp 8, pp 1, dp 2, .* 16 +memory$" compare ../configs/llama3-70b-tp8.cfg --hw h100-sxm --set workload.batch=128 --set workload.gen_tokens=16384 --constraint tpot_s<=1)
# No profile has a plan: exit 1 as search (32 x the KV above per GPU).
roof_cli_case(compare_no_plan 1 "llmroof: compare: no profile has a plan that is valid, fits memory and meets the constraints" "^h100-sxm +8 +none .*no plan fits memory$" compare ../configs/llama3-70b-tp8.cfg --hw h100-sxm --set workload.batch=4096 --set workload.gen_tokens=16384)
# 70B bf16 on 2 x H100 (issue 25 item 2): weights 70.555e9 / 2 x 2 B =
# 70.555e9 B, the prompt's KV 2 x 80 x 4 x 128 x 2 B x 16 x 2048 = 5.369e9,
# SiLU(gate) * up over 32768 x 14336 elements x 3 passes x 2 B = 2.818e9:
# 78.74e9 B, 98.4% of 80e9, which "fitted"; above the 70.078e9 usable.
roof_cli_case(estimate_70b_tp2_no_fit 0 "llmroof: warning: 78.7 GB per GPU at the peak (end of prefill) does not fit the 70.1 GB usable of the 80.0 GB of 'h100-sxm'" "^  fits +false$" estimate ../configs/llama3-70b-tp8.cfg --set parallel.tp=2)
# The engine's share at 1 and no reserve: 78.74e9 <= 80e9 fits again.
roof_cli_case(estimate_70b_tp2_no_reserve 0 "" "^  fits +true$" estimate ../configs/llama3-70b-tp8.cfg --set parallel.tp=2 --set workload.memory.utilization=1 --set workload.memory.reserve=0)
roof_cli_case(estimate_bad_utilization 2 "llmroof: --set: 'workload.memory.utilization' must be in (0, 1] (got 1.5)" "" estimate --set workload.memory.utilization=1.5)
# The issue's solve: tokens/s >= 10000 only at batches that do not fit;
# exit 1 (it answered 414 with exit 0), memory named as the bound.
roof_cli_case(solve_memory_bound 1 "" "" solve --target tokens_per_s>=10000 --vary workload.batch --range 1:4096)
# The end-to-end figures beside decode's, labelled.
roof_cli_case(estimate_e2e 0 "" "^  e2e_tokens_per_s +" estimate)
roof_cli_case(estimate_peak_at 0 "" "^  peak_at +end of prefill$" estimate)

# One interface (issue 25 items 5-6, in part). Sweep's fits is a boolean,
# null where the point has no plan (tp 5 does not divide 64 heads), as is a
# metric that does not apply.
roof_cli_case(sweep_fits_bool 0 "" "\"fits\": true," sweep --vary parallel.tp=5,8 --metric tpot_s --format json)
roof_cli_case(sweep_fits_null 0 "" "\"fits\": null," sweep --vary parallel.tp=5,8 --metric tpot_s --format json)
roof_cli_case(sweep_metric_null 0 "" "\"tpot_s\": null," sweep --vary parallel.tp=5,8 --metric tpot_s --format json)
# --metric as well as --metric=.
roof_cli_case(sweep_metric_space 0 "" "^ +8 +[0-9.]+ ms +true" sweep --vary parallel.tp=5,8 --metric tpot_s)
# SI submultiples: 20m = 0.02 (Brent's answer meets the target at
# equality: 20.000 ms); 2u:6u:2u = 2, 4 and 6 us (the doubles nearest).
roof_cli_case(solve_milli 0 "" "^  metric_value +20.000 ms$" solve --target tpot_s<=20m --vary hw.memory.bandwidth)
roof_cli_case(sweep_micro 0 "" "^3.9999999999999998e-06,[0-9.e-]+,true,," sweep --vary hw.kernel.overhead=2u:6u:2u --metric tpot_s --format csv)
# --explain NAME is short for metrics.NAME; with --format json it is JSON.
roof_cli_case(explain_short 0 "" "^metrics.tpot_s = " estimate --explain tpot_s)
roof_cli_case(explain_json 0 "" "^  \"path\": \"tpot_s\",$" estimate --explain tpot_s --format json)
roof_cli_case(explain_e2e 0 "" "e2e_tokens_per_s = batch x gen_tokens / \\(ttft_s \\+ gen_tokens x tpot_s\\)" estimate --explain e2e_tokens_per_s)
roof_cli_case(explain_short_unknown 2 "llmroof: --explain: cannot explain 'foo' (try metrics.ttft_s, metrics.tpot_s, metrics.tokens_per_s, metrics.request_latency_s, metrics.usd_per_mtok, memory.total_bytes, ops.prefill.dense.q_proj.time_s, or a parameter path)" "" estimate --explain foo)
