# Hardware names as people type them (issue 25, item 7): the product name
# without the form factor and any case reach the built-in profile, which the
# output names canonically; a near miss suggests the profile it begins
# (a100 was 3 edits from b200 and 4 from a100-sxm: b200 was suggested).
roof_cli_case(hw_alias_a100 0 "" "^  hw +a100-sxm$" estimate ../configs/llama3-8b.cfg --hw a100)
roof_cli_case(hw_alias_upper 0 "" "^  hw +h100-sxm$" estimate ../configs/llama3-8b.cfg --hw H100)
roof_cli_case(hw_alias_show 0 "" "^  name +h100-sxm$" hw show h100)
roof_cli_case(hw_suggest_prefix 2
  "llmroof: --hw: unknown hardware profile 'a10' (did you mean 'a100-sxm'? see 'llmroof hw list')" ""
  estimate --hw a10)
roof_cli_case(hw_suggest_h2000 2
  "llmroof: --hw: unknown hardware profile 'h2000' (did you mean 'h200'? see 'llmroof hw list')" ""
  estimate --hw h2000)
roof_cli_case(hw_unknown 2 "llmroof: --hw: unknown hardware profile 'nosuch' (see 'llmroof hw list')" ""
  estimate --hw nosuch)
