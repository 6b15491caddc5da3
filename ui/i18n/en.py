"""English for every Korean UI string (design/ui.md's word list first)."""

EN: dict[str, str] = {
    "주문내역": "Order", "합계": "Total", "공급가": "Supply", "부가세": "VAT", "면세": "Tax-free",
    "할인": "Discount", "서비스": "Complimentary", "보류": "Hold", "보류목록": "Held orders",
    "주문취소": "Void order", "거래내역": "History", "재발행": "Reprint", "환불": "Refund",
    "현금": "Cash", "카드": "Card", "간편결제": "Easy pay", "현금영수증": "Cash receipt",
    "복합결제": "Split payment", "거스름돈": "Change", "일시불": "Pay in full",
    "할부": "Installments", "승인번호": "Approval no.", "망취소": "Network cancel",
    "판매집계": "Sales summary", "마감": "Closing", "과부족": "Over/short",
    "장치 점검": "Device test", "연습 모드": "Training mode", "품절": "Sold out",
    "메뉴": "Menu", "삭제": "Delete", "확인": "OK", "취소": "Cancel", "닫기": "Close",
    "받은 금액": "Tendered", "받을 금액": "Amount due", "딱맞게": "Exact", "1만원": "10,000",
    "5만원": "50,000", "10만원": "100,000", "지우기": "Clear", "결제": "Pay",
    "영업일": "Business day", "캐셔": "Cashier", "프린터": "Printer", "정상": "OK",
    "시뮬레이터": "simulator", "데모 모드": "Demo mode", "주문이 비어 있습니다": "The order is empty",
    "메뉴를 눌러 주문을 시작하세요": "Tap a menu item to start an order",
    "수량": "Qty", "금액": "Amount", "옵션 선택": "Choose options", "필수": "required",
    "선택": "optional", "연습 모드 — 매출에 포함되지 않습니다": "Training mode — not counted in sales",
    "로그인": "Log in", "PIN을 입력하세요": "Enter your PIN", "로그아웃": "Log out",
    "영업 시작": "Open day", "시재금": "Cash float", "테이블": "Table", "메모": "Note",
    "%": "%", "원": "KRW", "현금 결제": "Cash payment", "결제 완료": "Payment complete",
    "영수증 출력": "Print receipt", "주문번호": "Order no.", "상태": "Status",
    "결제수단": "Tender", "시간": "Time", "전체 환불": "Refund all", "선택 환불": "Refund selected",
    "영수증 미리보기": "Receipt preview", "보류된 주문이 없습니다": "No held orders",
    "불러오기": "Recall", "금액 할인": "Amount off", "비율 할인": "Percent off",
    "주문 할인": "Order discount", "품목 할인": "Line discount", "관리자 권한 필요": "Owner PIN required",
    "알 수 없는 바코드": "Unknown barcode", "프린터 용지 없음": "Printer out of paper",
    "망취소 대기 중 — 카드 결제 중지": "Network cancel pending — card payments paused",
    "장치 오프라인": "Device offline", "VAN": "VAN", "다시 시도": "Retry",
    "다른 결제수단": "Other tender", "카드를 넣어주세요": "Insert the card",
    "승인 요청 중...": "Requesting approval...", "고객 바코드를 스캔하세요": "Scan the customer's code",
    "남은 금액": "Remaining", "소득공제": "Income deduction", "지출증빙": "Expense proof",
    "자진발급": "Self-issued", "미발급": "none",
    "휴대폰 번호 · 현금영수증 카드 · 사업자등록번호":
        "Phone number · cash receipt card · business registration number",
    "사업자등록번호가 올바르지 않습니다": "That business registration number is not valid",
    "휴대폰 번호, 현금영수증 카드 번호 또는 사업자등록번호를 입력하세요":
        "Enter a phone number, a cash receipt card number or a business registration number",
    "서명해 주세요": "Please sign", "오늘": "Today", "어제": "Yesterday",
    "이번 주": "This week", "이번 달": "This month", "직접 선택": "Custom", "엑셀": "Excel",
    "CSV": "CSV", "X 리포트": "X report", "Z 마감": "Z close", "메뉴 관리": "Menu editor",
    "뒤로": "Back", "캐셔 화면": "Cashier",
}

# 장치 점검 (device test screen)
EN.update({
    "확인 중...": "Checking...", "변경": "Change", "저장": "Save", "저장됨": "Saved",
    "선택하거나 직접 입력하세요": "Pick one or type it", "포트 찾는 중...": "Looking for ports...",
    "시리얼 포트 없음": "No serial ports", "통신 모니터": "Traffic monitor",
    "카드 정보는 가려서 보여줍니다": "Card data is masked", "일시정지": "Pause",
    "줄을 누르면 전체 내용이 보입니다": "Tap a row to see all of it", "장치": "Device",
    "방향": "Dir.", "길이": "Bytes", "텍스트": "Text", "HEX": "Hex",
    "→ 송신": "→ out", "← 수신": "← in", "• 알림": "• event",
    "카드리더기": "Card reader", "카드 리더기": "Card reader", "스캐너": "Scanner",
    "금전함": "Cash drawer", "상태 새로고침": "Refresh status",
    "진단 파일 저장": "Save diagnostics", "테스트 인쇄 (텍스트)": "Test page (text)",
    "테스트 인쇄 (그래픽)": "Test page (raster)", "금전함 열기": "Open drawer",
    "카드 읽기": "Read card", "읽기 취소": "Cancel read", "스캔 테스트": "Scan test",
    "망 점검 (0800)": "Network test (0800)", "테스트 승인·취소": "Test approve/cancel",
    "프린터에 연결": "Via the printer", "설정 파일": "Config file",
    "설정 파일 없음 (데모 모드)": "No config file (demo mode)",
    "매장": "Store",
    "미확인 — 망 점검을 누르세요": "Not checked — tap Network test",
    "인쇄 중...": "Printing...", "금전함 여는 중...": "Opening the drawer...",
    "카드를 넣거나 긁어주세요": "Insert or swipe a card", "코드를 스캔하세요": "Scan a code",
    "시뮬레이터가 샘플 결제 코드를 보냅니다": "The simulator sends a sample payment code",
    "스캔 대기 중": "Waiting for a scan", "망 점검 중...": "Testing the network...",
    "테스트 승인 요청 중...": "Requesting a test approval...", "연결 설정": "Connection",
    "포트 목록은 프로그램을 다시 시작하면 볼 수 있습니다":
        "Port list available after a restart",
    "설정 파일을 저장하지 못했습니다": "Could not save the config file",
    "캐셔 화면은 다시 시작하면 새 설정을 씁니다":
        "The cashier screen uses the new setting after a restart",
    "진단 파일 만드는 중...": "Writing diagnostics...", "진단 파일 저장됨": "Diagnostics saved",
    "진단 파일을 저장하지 못했습니다": "Could not save diagnostics",
    "연결됨": "Connected", "연결됨 · 시뮬레이터": "Connected · simulator",
    "진동벨": "Pager", "호출 테스트": "Test call", "호출 중...": "Calling...",
    "호출 보냄": "Call sent", "호출 보냄 · 시뮬레이터": "Call sent · simulator",
    "사용 안 함": "Not configured", "포트 열림": "Port open", "번호 확인": "Check the number",
    "호출할 진동벨 번호": "Pager number to call", "호출하기": "Call",
    "연결됨 (상태 응답 없음)": "Connected (no status)", "용지 없음": "Paper out",
    "용지 부족": "Paper low", "덮개 열림": "Cover open", "오프라인": "Offline",
    "연결 안 됨": "Not connected", "응답 없음": "Not answering", "pcscd 없음": "No pcscd",
    "pyscard 없음": "No pyscard", "리더기 없음": "No reader", "준비됨": "Ready",
    "준비됨 · 시뮬레이터": "Ready · simulator", "카드 있음": "Card inserted",
    "카드 없음": "No card", "카드 읽음": "Card read", "취소됨": "Cancelled",
    "IC 인식 실패": "Chip failed", "읽기 실패": "Read failed", "리더기 오류": "Reader error",
    "키보드 방식": "Keyboard wedge", "스캔 없음": "No scan", "결제 코드": "Payment code",
    "상품 바코드": "Product barcode", "알 수 없는 코드": "Unknown code",
    "프린터 통해 연결": "Through the printer", "금전함 없음": "No drawer",
    "금전함 열림": "Drawer opened", "열지 않음": "Not opened", "글꼴 없음": "No font",
    "승인 실패": "Approval failed", "취소 실패": "Cancel failed",
    "승인·취소 정상": "Approve + cancel OK", "거절": "Refused", "오류": "Error",
})

# Owner screens: 판매집계, 마감, 메뉴 관리 (kspos/reports).
EN.update({
    "총매출": "Gross sales", "순매출": "Net sales", "신용카드": "Credit card", "구분": "Item",
    "건수": "Count", "매출 없음": "No sales", "기타정보": "Other info", "현금비율": "Cash ratio",
    "신용카드비율": "Card ratio", "간편결제비율": "Easy-pay ratio", "객단가": "Avg. per order",
    "1인 객단가": "Avg. per guest", "객수": "Guests",
    "분류별": "By category", "메뉴별": "By item", "시간대별": "By hour", "일별": "By day",
    "월별": "By month", "순서": "No.", "분류명": "Category", "메뉴명": "Item", "기타": "Other",
    "집계 중...": "Summarizing...", "저장했습니다": "Saved", "저장하지 못했습니다": "Could not save",
    "X 리포트를 인쇄했습니다": "X report printed", "영업 중이 아닙니다": "No business day open",
    "영업 중": "open", "주문": "Orders", "시작일": "From", "종료일": "To", "권종": "Denomination",
    "선택한 권종의 수량": "Pieces of the selected denomination", "현금 매출": "Cash sales",
    "예상 현금": "Expected cash", "실제 현금": "Counted cash", "일치": "exact", "과잉": "over",
    "부족": "short", "오늘 판매": "Today's sales", "마감 중...": "Closing...",
    "계산하지 않은 테이블": "Tables not paid", "이월 중...": "Carrying over...",
    "다음 영업일로 이월하고 마감할까요?": "Carry them over to the next business day and close?",
    "이월하고 마감": "Carry over and close",
    "마감되었습니다": "closed", "점주 PIN으로 마감을 확인하세요": "Confirm the close with an owner PIN",
    "끌어서 순서를 바꿀 수 있습니다": "Drag to reorder", "메뉴 추가": "New item",
    "메뉴 수정": "Edit item", "이름": "Name", "영문명": "English name",
    "분류 추가": "Add category", "분류 수정": "Edit category", "색상": "Colour",
    "분류 이름을 입력하세요": "Enter the category's name", "가격": "Price",
    "과세": "Taxable", "과세/면세": "VAT", "바코드": "Barcode", "옵션 그룹": "Option groups",
    "저장": "Save", "앞으로": "Earlier", "만원": "×10,000",
})

# 옵션 그룹 관리 (menu editor)
EN.update({
    "옵션 그룹 관리": "Option groups…", "새 옵션 그룹": "New option group",
    "예: 사이즈": "e.g. Size", "예: 라지": "e.g. Large", "선택 방식": "Choosing",
    "하나만": "One", "여러 개": "Several", "선택지": "Choices",
    "추가 금액": "Price change", "선택지 추가": "Add choice",
    "선택지는 12개까지입니다": "At most 12 choices", "이 그룹을 쓰는 메뉴": "Items using it",
    "한 번 더 누르세요": "Tap again to confirm", "삭제했습니다": "Deleted",
})

# 지난 마감 재출력 (closing screen: a past day's Z report printed again)
EN.update({
    "지난 마감 재출력": "Reprint a past close", "재출력": "Reprint", "마감일시": "Closed at",
    "다시 인쇄할 영업일을 고르세요": "Pick the business day to print again",
    "지난 마감이 없습니다": "No day has been closed yet",
    "점주 PIN으로 재출력을 확인하세요": "Confirm the reprint with an owner PIN",
    "재출력 준비 중...": "Preparing the reprint...",
    "Z 리포트를 재출력했습니다": "Z report reprinted",
})

# 자동 백업 (data: the daily backup's warning on the cashier screen)
EN.update({
    "자동 백업 실패": "Automatic backup failed",
})

# 직원 관리 (staff, PINs, roles)
EN.update({
    "직원 관리": "Staff", "역할": "Role", "사용 중": "Active", "비활성": "Inactive",
    "데모 PIN": "Demo PIN", "새 직원": "New staff member", "PIN 변경": "Change PIN",
    "비활성화": "Deactivate", "PIN 오류 기록": "Wrong PINs", "단말기": "Terminal",
    "연속 오류": "In a row", "잠금": "Locked", "점주": "Owner", "기술자": "Technician",
    "새 PIN": "New PIN", "새 PIN 한 번 더": "New PIN again",
    "두 PIN이 다릅니다": "The two PINs differ", "현재 PIN": "Your current PIN",
    "로그인한 직원의 PIN이 아닙니다": "Not the PIN of who is logged in",
    "내 PIN 변경": "Change my PIN", "저장 중...": "Saving...",
    "데모 PIN — 직원 관리에서 변경": "Demo PINs: see Staff",
})

# The live language switch, messages, exports
EN.update({
    "테이블 번호": "Table number", "프린터 다시 인쇄": "Print again", "인쇄 대기": "waiting to print",
    "가격 (원)": "Price (won)", "추가 금액 (원)": "Price change (won)", "저장 폴더": "Save to folder",
})

# 카드 결제 (devices: 할부 before the read, demo test cards)
EN.update({
    "할부를 선택하세요": "Choose installments", "{n}개월": "{n} months",
    "테스트 카드 (데모)": "Test cards (demo)", "승인": "Approve",
    "한도초과": "Over the limit", "잔액부족": "Insufficient funds",
    "유효기간경과": "Card expired", "분실도난카드": "Lost or stolen card",
    "호스트장애": "Host failure", "의무발행": "required", "할부 변경": "Change installments",
    "카드 영수증은 요청 시 출력합니다 (거래내역 → 재발행)":
        "Card receipts print on request (History → Reprint)",
})

# 돈 (money: a partly paid order, undoing a split, cash amounts, refunds)
EN.update({
    "부분 결제": "Partly paid", "돌려주세요": "to hand back",
    "받은 결제를 되돌렸습니다": "The tenders taken were given back", "결제 취소": "Undoing tenders",
    "번호 변경": "Another number", "원래 번호": "The receipt's number is",
    "와 다릅니다": " (this one differs)", "새 번호": "new number",
    "거스름돈은 최대": "Change is at most", "받은 금액을 확인하세요": "check the cash received",
    "받은 금액을 입력하거나 딱맞게를 누르세요":
    "Enter the cash received, or tap Exact",
})

# 영업일, the order on the counter, 주문취소/삭제 and 할인 (cashier screen)
EN.update({
    "오늘 영업일은 마감되었습니다: 다음 영업일로 시작합니다":
        "Today's business day is closed: the next one opens",
    "주문을 취소할까요?": "Void this order?", "이 줄을 삭제할까요?": "Delete this line?",
    "돌아가기": "Go back",
    "주문 전체": "the whole order", "할인 전 금액": "Before the discount",
    "본사 연결 끊김": "Office offline", "미전송 {n}건": "{n} unsent",
    "새 메뉴 적용됨 (v{n})": "New menu applied (v{n})",
    "본사 연결": "Office link", "본사 전송 거부 {n}건": "{n} refused by the office",
    "본사 전송 거부 없음": "Nothing refused by the office",
    "본사 미설정 (단독 매장)": "No office set (standalone store)",
    "본사 메뉴": "Office menu", "적용됨": "applied", "거부": "refused",
    "대기 (주문 사이)": "waiting (between orders)", "대기 (개점 시)": "waiting (next day open)",
})

# restaurant mode: the floor, a table's check, split, the floor editor (ui/screens/tables.py...)
EN.update({
    "테이블 현황": "Floor", "포장 주문": "Takeout", "영수증 내역": "Receipts", "관리": "Manage",
    "테이블 편집": "Edit floor", "열린 테이블 {n}": "{n} open tables", "테이블로": "Tables",
    "주문 전송": "Send order", "한 번 더": "Same again", "인원": "Guests",
    "중간 계산서": "Pre-bill", "테이블 이동": "Move table", "합석": "Merge tables",
    "분할 계산": "Split bill", "주문 취소": "Cancel item", "남은 금액": "Still due",
    "{n}명": "{n} guests", "{n}차": "Round {n}", "추가 주문": "New round",
    "아직 보내지 않음": "not sent yet", "이번 주문 메모": "Round memo",
    "{n}차 주문을 주방에 보냈습니다": "Round {n} sent to the kitchen",
    "보내지 않은 주문이 있습니다. 버리고 나갈까요?":
        "Some items were not sent. Discard them and leave?",
    "버리기": "Discard", "보낸 메뉴의 메모는 바꿀 수 없습니다":
        "A sent item's memo cannot be changed",
    "취소할 보낸 메뉴를 고르세요": "Choose a sent item to cancel",
    "취소할 수량": "Quantity to cancel", "취소 사유를 고르세요": "Choose the reason",
    "손님 요청": "Guest asked", "주문 실수": "Wrong order", "조리 지연": "Kitchen too slow",
    "기타": "Other", "중간 계산서를 출력했습니다": "Pre-bill printed",
    "옮길 빈 테이블을 고르세요": "choose an empty table",
    "합칠 테이블을 고르세요": "choose the table to merge in", "합석했습니다": "Tables merged",
    "메뉴별": "By item", "N분의 1": "Equal parts", "금액별": "By amount", "{n}번": "Part {n}",
    "분할 환불": "Refund a part", "환불할 부분을 고르세요": "Choose the part to refund",
    "몫": "Part", "남음": "left", "몫 추가": "Add part", "다시 입력": "Start over", "나눌 금액": "To split",
    "메뉴를 눌러 선택한 몫에 넣으세요": "Tap an item to put it in the chosen part",
    "몇 명이 나누어 낼까요?": "How many people pay?",
    "한 사람이 낼 금액을 입력하고 몫 추가를 누르세요":
        "Type one person's amount and tap Add part",
    "구역": "Zone", "구역 이름": "Rename zone", "테이블 추가": "Add table",
    "이름 변경": "Rename", "이 구역에 빈 자리가 없습니다": "There is no free spot in this zone",
    "테이블을 끌어 옮기고, 오른쪽 아래 모서리를 끌어 크기를 바꾸세요":
        "Drag a table to move it; drag its lower right corner to resize it",
    "주방 출력 실패": "Kitchen printing failed", "재출력": "Reprint",
    "다른 프린터로": "To another printer", "{n}장 대기": "{n} slips waiting",
    "다른 주방 프린터가 없습니다": "There is no other kitchen printer",
    "맵게": "Spicy", "덜 맵게": "Less spicy", "소스 따로": "Sauce on the side",
    "빨리": "Quickly", "나중에": "Later", "얼음 빼고": "No ice", "포장": "To go",
    # the pickup board and the 호출 list (docs/pickup.md)
    "준비 중": "Preparing", "완료": "Ready", "주문번호 호출": "Order pickup",
    "주문번호를 쓰지 않는 매장입니다 (order_numbers = \"off\")":
        "This store uses no order numbers (order_numbers = \"off\")",
    "주문번호를 읽지 못했습니다": "Could not read the order numbers",
    "외 {n}개": "{n} more", "번호를 누르면 완료로 호출합니다": "tap a number to call it",
    "준비 중인 주문이 없습니다": "No order is being prepared", "되돌리기": "Undo",
    "완료로 바꿨지만 진동벨을 울리지 못했습니다": "Marked ready, but the pager did not buzz",
    "{n}번 호출": "Called {n}",
})

# 영수증 출력 여부 (paperless receipts: [store] receipt = "ask")
EN.update({
    "영수증을 출력할까요?": "Print the receipt?", "출력": "Print", "안 함": "No thanks",
    "출력하지 않으면 고객 화면에 영수증 QR이 표시됩니다":
        "If not printed, the customer display shows the receipt as a QR code",
})

# The customer display (고객 표시기)
EN.update({
    "어서 오세요": "Welcome", "호출": "Pickup calls", "결제하실 금액": "Amount to pay",
    "현금영수증 번호를 입력해 주세요": "Enter your cash receipt number",
    "결제가 완료되었습니다": "Payment complete",
    "영수증을 출력하지 않았습니다 — 휴대폰 카메라로 찍어 가세요":
        "No paper receipt — take a photo with your phone's camera",
    "나눠 내기": "Part", "카드를 넣어 주세요": "Please insert your card",
    "결제 바코드를 보여 주세요": "Please show your payment code",
    "현금으로 결제합니다": "Paying in cash", "승인 요청 중입니다": "Waiting for approval",
    "고객 표시기": "Customer display", "화면이 없습니다": "screen not found",
    "고객 화면에서 입력 중...": "The customer is typing on their display...",
    "고객 입력": "Customer typed",
    "고객 화면에서 서명을 받고 있습니다 — 여기서 서명해도 됩니다":
        "The customer signs on their display — or sign here",
})
