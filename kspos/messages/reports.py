"""Sentences of the reports' date ranges (kspos/reports/periods.py).

code → (Korean, English). ``kspos report`` prints the English (PeriodError.plain).
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "period.date": ("{what}: 날짜는 YYYY-MM-DD 형식입니다: {text!r}",
                    "{what}: expected a date as YYYY-MM-DD, got {text!r}"),
    "period.reversed": ("--to {end}이(가) --from {start}보다 앞입니다",
                        "--to {end} is before --from {start}"),
    "period.too_long": ("기간이 너무 깁니다: {most}일까지입니다",
                        "range too long: at most {most} days"),
    "period.unknown": ("알 수 없는 기간입니다: {name!r}", "unknown period {name!r}"),
}
