"""A small article the index tests ingest, change and delete."""

ARTICLE = """---
title: Is gout imaged with dual-energy CT?
last_updated: 2025-01-01
review_status: Approved
---
# Is gout imaged with dual-energy CT?

## Bottom line
Dual-energy CT can show urate deposits in gouty joints [1].

## References
1. Dual-energy CT in gout. Radiology. 2015. [Research]
"""
