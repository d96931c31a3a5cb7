# Accuracy floors (docs/eval.md): each pack is scored against its hand-coded gold with
# `stance eval`, which prints the metrics table (`ctest -V -L eval` shows it in the log) and exits 1
# when the strict F1 falls below the floor. The floors are cache variables so that the lead can
# ratchet them at configure time (-DSTANCE_EVAL_UKRAINE_MIN_F1=0.8) without editing this file.
# They sit just under what the engine reaches today, so any regression fails CI; issue #4's targets
# are 0.85 (ukraine-peace) and 0.80 (trade-dispute), not met yet.
if(STANCE_BUILD_TESTS)
  set(STANCE_EVAL_TRADE_MIN_F1 0.80 CACHE STRING "strict F1 floor of rules/trade-dispute on fixtures/trade-dispute (issue 4)")
  set(STANCE_EVAL_UKRAINE_MIN_F1 0.85 CACHE STRING "strict F1 floor of rules/ukraine-peace on fixtures/articles (issue 4)")

  # A second, unrelated domain: proves that the engine holds no Ukraine-specific logic.
  add_test(NAME eval_trade_dispute
           COMMAND $<TARGET_FILE:stance> eval
                   --rules ${PROJECT_SOURCE_DIR}/rules/trade-dispute
                   --gold ${PROJECT_SOURCE_DIR}/fixtures/trade-dispute
                   --min-f1 ${STANCE_EVAL_TRADE_MIN_F1}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  # The development corpus of the default pack.
  add_test(NAME eval_ukraine_dev
           COMMAND $<TARGET_FILE:stance> eval
                   --rules ${PROJECT_SOURCE_DIR}/rules/ukraine-peace
                   --gold ${PROJECT_SOURCE_DIR}/fixtures/articles
                   --min-f1 ${STANCE_EVAL_UKRAINE_MIN_F1}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  # The trade pack must load without errors, and its examples must pass.
  add_test(NAME check_trade_dispute
           COMMAND $<TARGET_FILE:stance> check --rules ${PROJECT_SOURCE_DIR}/rules/trade-dispute
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  add_test(NAME examples_trade_dispute
           COMMAND $<TARGET_FILE:stance> test --rules ${PROJECT_SOURCE_DIR}/rules/trade-dispute
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(eval_trade_dispute eval_ukraine_dev check_trade_dispute examples_trade_dispute
                       PROPERTIES TIMEOUT 120 LABELS eval)
endif()
