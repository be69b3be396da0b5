"""The allocation rules: greedy by support, the Method of Equal Shares and the exact knapsack."""
