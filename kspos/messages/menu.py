"""Sentences of the menu editor: items, categories and option groups (kspos/menu/).

code → (Korean, English); both templates name the same placeholders.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- items and categories (kspos/menu/admin.py)
    "menu.problems": ("{problems}", "{problems}"),  # every problem of a form, one a line
    "menu.price_not_number": ("가격은 숫자로 입력하세요", "The price must be a number"),
    "menu.price_missing": ("가격을 입력하세요", "Enter a price"),
    "menu.price_negative": ("가격은 0원 이상이어야 합니다", "The price cannot be negative"),
    "menu.price_not_whole": ("가격은 원 단위 숫자로 입력하세요: {value!r}",
                             "The price is whole won only: {value!r}"),
    "menu.price_over": ("가격은 {most:won} 이하여야 합니다", "The price is at most {most:won}"),
    "menu.item_not_found": ("메뉴를 찾을 수 없습니다", "Item not found"),
    "menu.items_changed": ("메뉴 목록이 바뀌었습니다: 다시 불러오세요",
                           "The menu changed: reload it"),
    "menu.categories_changed": ("분류 목록이 바뀌었습니다: 다시 불러오세요",
                                "The categories changed: reload them"),
    "menu.category_name": ("분류 이름을 1-{most}자로 입력하세요",
                           "A category name is 1-{most} characters"),
    "menu.colour": ("색상은 #RRGGBB 형식입니다: {color!r}",
                    "A colour is like #2563EB, got {color!r}"),
    "menu.category_not_found": ("분류를 찾을 수 없습니다", "Category not found"),
    "menu.name_missing": ("이름을 입력하세요", "Enter a name"),
    "menu.name_too_long": ("이름은 {most}자까지입니다", "A name is at most {most} characters"),
    "menu.name_en_too_long": ("영문명이 너무 깁니다", "The English name is too long"),
    "menu.barcode_check": ("바코드 {barcode}: EAN-13/EAN-8/UPC-A 체크 숫자가 맞지 않습니다",
                           "Barcode {barcode}: not a valid EAN-13/EAN-8/UPC-A barcode"),
    "menu.choose_category": ("분류를 고르세요", "Choose a category"),
    "menu.barcode_taken": ("바코드 {barcode:은/는} 이미 '{other}'에 쓰였습니다",
                           "Barcode {barcode} is already used by '{other}'"),
    "menu.duplicate_name": ("같은 분류에 '{name}' 메뉴가 이미 있습니다",
                            "The category already has an item '{name}'"),
    "menu.unknown_group": ("없는 옵션 그룹입니다", "Unknown option group"),
    "menu.negative_with_options": (
        "옵션을 고르면 가격이 {lowest:won}이 됩니다: 0원 아래로 내려가지 않게 하세요",
        "With options the price would be {lowest:won}: keep it at 0 or more"),
    # --- option groups (kspos/menu/options.py)
    "option.problems": ("{problems}", "{problems}"),
    "option.delta_not_number": ("추가 금액은 숫자로 입력하세요",
                                "The price change must be a number"),
    "option.delta_bad": ("추가 금액이 잘못되었습니다: {value!r}",
                         "The price change is whole won: {value!r}"),
    "option.delta_not_whole": ("추가 금액은 원 단위 숫자로 입력하세요: {value!r}",
                               "The price change is whole won, e.g. +500 or -300: {value!r}"),
    "option.delta_too_large": ("추가 금액은 ±{most:won} 이내여야 합니다",
                               "The price change is at most ±{most:won}"),
    "option.group_not_found": ("옵션 그룹을 찾을 수 없습니다", "Option group not found"),
    "option.group_name_missing": ("옵션 그룹 이름을 입력하세요", "Enter a group name"),
    "option.no_choices": ("선택지를 하나 이상 입력하세요", "Add at least one choice"),
    "option.too_many_choices": ("선택지는 {most}개까지입니다", "At most {most} choices"),
    "option.choice_no_name": ("{n}번째 선택지의 이름을 입력하세요", "Choice {n} has no name"),
    "option.choice_name_too_long": ("선택지 '{label}…' 이름이 너무 깁니다",
                                    "The name of choice '{label}…' is too long"),
    "option.choice_twice": ("선택지 '{label}'가 두 번 있습니다",
                            "Choice '{label}' is there twice"),
    "option.choice_problem": ("{choice}: {problem}", "{choice}: {problem}"),
    "option.duplicate_group": ("'{name}' 옵션 그룹이 이미 있습니다",
                               "An option group '{name}' already exists"),
    "option.negative_item": (
        "'{item}' {price:won}이 옵션으로 {lowest:won}이 됩니다: 0원 아래로 내려가지 않게 하세요",
        "'{item}' at {price:won} would be {lowest:won} with options: keep it at 0 or more"),
}
