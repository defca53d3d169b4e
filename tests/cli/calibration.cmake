# Per-dtype efficiency, the alignment rule and leave-one-source-out
# validation (docs/validation.md "Cross-validation").

# hw.efficiency.fp8 (h100-sxm.cfg: MAMF-H100-fp8 1402.6 / 1978.9) times an
# fp8 GEMM, and --explain names it.
roof_cli_case(explain_eff_fp8 0 "" "^    compute = 2 \\* issued MACs / \\(P \\* eff_fp8\\) = F / \\(1.9789e\\+15 \\* 0.709 " estimate ../configs/llama3-70b-tp8.cfg --hw h100-sxm --set workload.dtype=fp8 --explain ops.prefill.dense.q_proj.time_s)
# Absent on a100-sxm: efficiency.compute, as before.
roof_cli_case(explain_eff_compute_bf16 0 "" "^    compute = 2 \\* issued MACs / \\(P \\* eff_compute\\) = F / \\(1.9789e\\+15 \\* 0.803 " estimate ../configs/llama3-70b-tp8.cfg --hw h100-sxm --set workload.dtype=fp8 --set hw.efficiency.fp8=0 --explain ops.prefill.dense.q_proj.time_s)
