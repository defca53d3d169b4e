# hw check, show's sources and diff (issue 23, items 1-2). Fixture messages
# are checked exactly in tests/unit/test_profile_check.c; here the command's
# exit code and one line of its output.
roof_cli_case(hw_check_errors 1 "" "^fixtures/hw/check_errors.cfg:10: error: 'efficiency.compute' must be in \\(0, 1\\] \\(got 1.2\\)$"
  hw check fixtures/hw/check_errors.cfg)
roof_cli_case(hw_check_missing 1 "" "^fixtures/hw/check_errors.cfg:5: error: missing setting 'memory.bandwidth'$"
  hw check fixtures/hw/check_errors.cfg)
roof_cli_case(hw_check_units 0 "" "^fixtures/hw/check_units.cfg:6: warning: 'memory.bandwidth' is 3.350 GB/s, outside"
  hw check fixtures/hw/check_units.cfg)
roof_cli_case(hw_check_dtype 0 "" "^fixtures/hw/check_dtype.cfg:6: warning: 'compute.fp8' \\(100 TFLOP/s\\) is below 'compute.bf16'"
  hw check fixtures/hw/check_dtype.cfg)
roof_cli_case(hw_check_link 0 "" "^fixtures/hw/check_link.cfg:12: warning: 'network.node.bandwidth' is 900 GB/s per direction, above the 450 GB/s of NVLink 4"
  hw check fixtures/hw/check_link.cfg)
roof_cli_case(hw_check_no_effect 0 "" "^fixtures/hw/check_no_effect.cfg:14: warning: 'network.cluster.sharp' changes nothing here"
  hw check fixtures/hw/check_no_effect.cfg)
roof_cli_case(hw_check_json 1 "" "\"level\": \"error\"" hw check fixtures/hw/check_errors.cfg --format json)
roof_cli_case(hw_check_clean 0 "" "^fixtures/hw/good.cfg: 0 errors, 0 warnings$" hw check fixtures/hw/good.cfg)
roof_cli_case(hw_check_unknown 2 "llmroof: --hw: unknown hardware profile 'h900' (did you mean 'h200'? see 'llmroof hw list')" ""
  hw check h900)
roof_cli_case(hw_check_no_file 3 "llmroof: fixtures/hw/nonexistent.cfg: cannot read profile: No such file or directory" ""
  hw check fixtures/hw/nonexistent.cfg)
roof_cli_case(hw_check_usage 2 "llmroof: hw: 'check' takes one or more profile names or files\nTry 'llmroof hw --help'." "" hw check)
roof_cli_case(hw_show_sources 0 "" "^memory.bandwidth +hw/profiles/h100-sxm.cfg:21 +specs.csv: H100-SXM5-80GB HBM3 3350 GB/s"
  hw show h100-sxm)
roof_cli_case(hw_show_sources_set 0 "" "^memory.bandwidth +--set +given on the command line$"
  hw show h100-sxm --set hw.memory.bandwidth=3e12)
roof_cli_case(hw_diff 0 "" "^memory.bandwidth +3.350 TB/s +4.800 TB/s$" hw diff h100-sxm h200)
roof_cli_case(hw_diff_same 0 "" "the two profiles set every value alike" hw diff h100 h100-sxm)
roof_cli_case(hw_diff_usage 2 "llmroof: hw: 'diff' takes two profiles\nTry 'llmroof hw --help'." "" hw diff h100)
roof_cli_case(hw_show_sources_json 0 "" "\"source\": \"specs.csv: H100-SXM5-80GB HBM3 3350 GB/s, NVIDIA H100 datasheet\"" hw show h100-sxm --format json)
# The catalogue (issue 23 item 1): each profile shows with its sources and
# runs one estimate (Llama-3-8B decode), and passes hw check clean.
foreach(hw h100-pcie h100-nvl h20 l40 l40s rtx-pro-6000 b300 gb300 mi325x mi355x gaudi3 tpu-v5e tpu-v5p tpu-v6e)
  roof_cli_case(hw_show_${hw} 0 "" "^  name +${hw}$" hw show ${hw})
  roof_cli_case(hw_estimate_${hw} 0 "" "^  hw +${hw}$" estimate ../configs/llama3-8b.cfg --hw ${hw} --quiet)
  roof_cli_case(hw_check_${hw} 0 "" "^hw/profiles/${hw}.cfg: 0 errors, 0 warnings$" hw check ${hw})
endforeach()
# Total cost of ownership (issue 23 item 3): the hand-computed case of
# tests/unit/test_cost.c through estimate's cost block (owned $/Mtok 9.1877
# per million tokens at 8 GPUs and 1000 tok/s there; here the block's
# capital per GPU, 25000 + 100000 / 4 = 50000 USD), and bad values.
roof_cli_case(cost_block_capital 0 "" "^  capital_usd_per_gpu +50.000 kUSD$"
  estimate ../configs/llama3-8b.cfg --hw fixtures/hw/cost.cfg)
roof_cli_case(cost_block_not_priced 0 "" "^owning is not priced: set hw.cost.gpu_usd"
  estimate ../configs/llama3-8b.cfg)
roof_cli_case(cost_set_gpu 0 "" "^  capital_usd_per_gpu +26.000 kUSD$"
  estimate ../configs/llama3-8b.cfg --set hw.cost.gpu_usd=20000 --set hw.cost.server_usd=48000)
roof_cli_case(cost_bad_utilisation 3 "llmroof: fixtures/hw/cost_utilisation.cfg:21: 'cost.utilisation' must be in (0, 1] (got 1.5)" ""
  estimate ../configs/llama3-8b.cfg --hw fixtures/hw/cost_utilisation.cfg)
roof_cli_case(cost_bad_pue_set 2 "llmroof: --set: 'hw.cost.pue' must be in [1, 10] (got 0.5)" ""
  estimate ../configs/llama3-8b.cfg --set hw.cost.pue=0.5)
roof_cli_case(cost_compare_columns 0 "" "^h200 .* [0-9.]+ USD +[0-9.]+ Mtok/s +0\\.[0-9]+ +objective$"
  compare ../configs/llama3-8b.cfg --hw h100-sxm,h200 --set hw.cost.gpu_usd=25000)
# A config's cost group over the profile's: 30000 + 80000 / 8 = 40000 USD.
roof_cli_case(cost_config_group 0 "" "^  capital_usd_per_gpu +40.000 kUSD$" estimate fixtures/configs/cost.cfg)
roof_cli_case(cost_config_negative 3 "llmroof: fixtures/configs/cost_negative.cfg:27: 'cost.server_usd' must be at least 0 (got -1)" ""
  estimate fixtures/configs/cost_negative.cfg)
# search --objective cost-owned (usd_per_mtok_owned). Priced so that an owned
# GPU-hour costs exactly the rented one: 43830 USD over 5 years at 0% is
# 43830 / 5 / 8766 h = 1.000 USD/h, with no hosting or energy and full use;
# at price.usd_per_hour = 1 the owned and rented $/Mtok of every row are
# equal, and the objective is that value.
roof_cli_case(cost_owned_search 0 "" "^1,.*,usd_per_mtok_owned,([0-9.e+-]+),.*,\\1,\\1,"
  search ../configs/llama3-70b-tp8.cfg --gpus 8 --objective cost-owned --top 1 --format csv
  --set hw.cost.gpu_usd=43830 --set hw.cost.years=5 --set hw.cost.interest=0 --set hw.cost.utilisation=1
  --set hw.cost.usd_per_kwh=0 --set hw.cost.hosting_usd_per_kw_month=0 --set hw.price.usd_per_hour=1)
roof_cli_case(cost_owned_unpriced 3 "llmroof: hw.cost.gpu_usd: ranking by the cost of owned GPUs needs their price: profile 'h100-sxm' has none (set cost.gpu_usd in the profile or the config, or --set hw.cost.gpu_usd=USD)" ""
  search ../configs/llama3-70b-tp8.cfg --gpus 8 --objective cost-owned)
roof_cli_case(cost_owned_compare_unpriced 3 "llmroof: hw.cost.gpu_usd: ranking by the cost of owned GPUs needs their price: profile 'h200' has none (set cost.gpu_usd in the profile or the config, or --set hw.cost.gpu_usd=USD)" ""
  compare ../configs/llama3-70b-tp8.cfg --hw h200 --objective cost-owned)
