"""Sentences of restaurant mode: the floor, a table's check, rounds, splits (kspos/sales/).

code → (Korean, English); both templates name the same placeholders.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- splitting a bill (kspos/sales/split_bill.py)
    "split.parts_range": ("{most}명까지 나눌 수 있습니다 (2명 이상)",
                          "Split between 2 and {most} parts"),
    "split.nothing_due": ("나눌 금액이 없습니다", "There is nothing left to split"),
    "split.amount_not_positive": ("나눌 금액은 1원 이상이어야 합니다",
                                  "Each part must be at least 1 won"),
    "split.amounts_over": ("나눈 금액의 합 {given:won}이 남은 금액 {due:won}보다 큽니다",
                           "The parts add up to {given:won}, more than the {due:won} due"),
    "split.item_unassigned": ("{name:을/를} 어느 쪽에도 넣지 않았습니다",
                              "{name} is not in any part"),
    "split.item_twice": ("{name}의 수량보다 많이 나누었습니다",
                         "More of {name} was split than was ordered"),
    "split.empty_part": ("비어 있는 몫이 있습니다", "A part has nothing in it"),
    "split.paid_before": ("이미 받은 결제가 있어 메뉴별로 나눌 수 없습니다",
                          "Some of the bill is already paid: split it by amount instead"),
}
