# Per-dtype efficiency, the alignment rule and leave-one-source-out
# validation (docs/validation.md "Cross-validation").

# hw.efficiency.fp8 (h100-sxm.cfg: MAMF-H100-fp8 1402.6 / 1978.9 = 0.709)
# times an fp8 GEMM of a whole workload at the sustained fraction
# (efficiency.sustained 0.880: 0.709 * 0.880 = 0.6239), and --explain names
# both.
roof_cli_case(explain_eff_fp8 0 "" "^    compute = 2 \\* issued MACs / \\(P \\* eff_fp8 \\* eff_sustained\\) = F / \\(1.9789e\\+15 \\* 0.6239 " estimate ../configs/llama3-70b-tp8.cfg --hw h100-sxm --set workload.dtype=fp8 --explain ops.prefill.dense.q_proj.time_s)
# Without it: efficiency.compute, 0.803 * 0.880 = 0.7066.
roof_cli_case(explain_eff_compute_bf16 0 "" "^    compute = 2 \\* issued MACs / \\(P \\* eff_compute \\* eff_sustained\\) = F / \\(1.9789e\\+15 \\* 0.7066 " estimate ../configs/llama3-70b-tp8.cfg --hw h100-sxm --set workload.dtype=fp8 --set hw.efficiency.fp8=0 --explain ops.prefill.dense.q_proj.time_s)

# corpus/gemm.csv: the rows left out, by reason (19 of 207: 8 fp4, compared
# apart (docs/validation.md "fp4 GEMMs"), 6 GPUs
# without a profile, 4 XLA sm_90 fp8 rows of trust 'low' and the SwiGLU run's
# reference, whose own level is not trusted).
roof_cli_case(validate_corpus_skipped 0 "" "^trust 'low' +5$" validate published)
roof_cli_case(validate_corpus_fp4 0 "" "^fp4: its kernels' own floor is not modelled \\(compared apart\\) +8$" validate published)
# Leave-one-source-out over the 220 GEMM rows, the sources held out and
# the low-latency all-to-all rows: one run, three tables
# (tests/cli/validate_cv.sh).
add_test(NAME cli_validate_cv COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/validate_cv.sh $<TARGET_FILE:llmroof>)
set_tests_properties(cli_validate_cv PROPERTIES LABELS cli)
roof_cli_case(validate_cv_gemm_usage 2 "llmroof: validate: --cv applies to 'validate published' only\nTry 'llmroof validate --help'." "" validate gemm --cv)

# A training step's op is explained as it was timed: efficiency.compute
# times the training fraction (a100-sxm.cfg: 0.8234 * 0.8964 = 0.7381; no
# sustained fraction on A100), so the breakdown's time is the op's.
roof_cli_case(explain_training_fraction 0 "" "^    compute = 2 \\* issued MACs / \\(P \\* eff_compute \\* eff_sustained \\* eff_training\\) = F / \\(3.12e\\+14 \\* 0.7381 " estimate ../configs/gpt3-175b-train-a100.cfg --explain ops.forward.dense.q_proj.time_s)
add_test(NAME cli_explain_training_time COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/explain_training.sh $<TARGET_FILE:llmroof> ${CMAKE_SOURCE_DIR}/configs/gpt3-175b-train-a100.cfg)
set_tests_properties(cli_explain_training_time PROPERTIES LABELS cli)

# gettime --sustained: a whole workload's kernel at the power-limited clock.
# 8192^3 bf16 on h100-sxm, by hand: 2048 tiles of 128x256 over 132 SMs in
# 16 waves (utilization 2048 / 2112), compute F / (989.4e12 x 0.803 x 0.880
# x 2048/2112) = 1.62178644 ms; without it (a benchmark's burst) the same
# without 0.880, 1.42717207 ms.
roof_cli_case(gettime_sustained 0 "" "^h100-sxm,8192,8192,8192,1,bf16,false,[^,]*,[^,]*,[^,]*,[^,]*,0\\.00162178643[0-9]*,.*,true$" gettime 8192 8192 8192 --hw h100-sxm --sustained --format csv)
roof_cli_case(gettime_burst 0 "" "^h100-sxm,8192,8192,8192,1,bf16,false,[^,]*,[^,]*,[^,]*,[^,]*,0\\.00142717206[0-9]*,.*,false$" gettime 8192 8192 8192 --hw h100-sxm --format csv)
