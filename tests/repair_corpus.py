"""Clean sentences written for the repair tests, by script.

The corruption simulator damages these; the clean-text control checks that
they pass through the repair stage unchanged.
"""

from __future__ import annotations

SIMPLIFIED = (
    "今天上午，我们在图书馆讨论了数据清洗的方法。",
    "大家认为，先检查编码，再修复乱码，最后统一标点。",
    "友情提示：本站内容仅供学习交流使用。",
    "这家小店的牛肉面味道不错，价格也很实惠。",
    "他说：“明天早上八点在学校门口集合，不要迟到。”",
    "春节期间，很多人选择回老家和家人团聚。",
    "研究人员发现，适量运动有助于改善睡眠质量。",
    "请在下方输入您的手机号码，我们会尽快与您联系。",
    "这部电影讲述了一个普通家庭在城市里奋斗的故事。",
    "随着技术的发展，越来越多的工作可以在网上完成。",
    "公司将于下周发布新版本，修复了已知的问题。",
    "小明把作业忘在家里了，只好向老师说明情况。",
    "天气预报说，周末北方地区将有大风和降温。",
    "图书馆新到了一批关于历史和地理的书籍。",
)

TRADITIONAL = (
    "這是一個關於資料清理的測試，我們可以修復它。",
    "臺北今天下午有雷陣雨，請記得帶傘出門。",
    "他們在會議上討論了明年的預算與計畫。",
    "這家餐廳的招牌菜是紅燒牛肉麵，很受歡迎。",
    "學生們在圖書館準備期末考試，氣氛十分緊張。",
    "醫生建議他多喝水、早點睡覺，注意身體健康。",
    "這本書描寫了一個家族三代人的故事。",
    "網站將在週末進行維護，屆時暫停服務。",
    "香港的夜景非常漂亮，吸引了很多遊客。",
    "請把這份報告在星期五以前寄給我。",
)

JAPANESE = (
    "日本語の文章です。よろしくお願いします。",
    "今日は朝から雨が降っていて、とても寒いです。",
    "駅の近くに新しいパン屋さんができました。",
    "この本はとても面白かったので、友達にも勧めました。",
    "来週の会議は午後三時から始まる予定です。",
    "東京の桜は三月の終わりごろに咲きます。",
)

KOREAN = (
    "한국어 문장입니다. 감사합니다.",
    "오늘은 날씨가 맑고 따뜻합니다.",
    "도서관에서 친구를 만나서 함께 공부했습니다.",
    "내일 아침 아홉 시에 회의가 있습니다.",
    "이 식당의 김치찌개는 정말 맛있어요.",
)

WESTERN = (
    "Café crème, naïve résumé and a piñata at the fête.",
    "The “smart quotes” and an em dash — both are fine.",
    "Größere Änderungen folgen im nächsten Schritt.",
    "Il était une fois un garçon très curieux.",
    "El niño comió una manzana en la mañana.",
    "Price: 5 € or £4, about 30% off.",
)

MIXED = (
    "OpenAI发布了Sora模型，可以根据文字生成60秒的视频。",
    "下载地址：https://example.com/file.zip，大小约为12MB。",
    "他用Python写了一个脚本，每天自动备份数据。",
    "本次会议（2024年3月）共有120人参加。",
    "《红楼梦》是中国古典小说的代表作之一。",
    "请访问我们的网站 www.example.org 了解更多信息！",
)

ALL = SIMPLIFIED + TRADITIONAL + JAPANESE + KOREAN + WESTERN + MIXED


# Written after the repair stage was tuned on ALL, to measure it on text it
# has not seen (bench/repair_measure.py); the tests do not use it.
HELD_OUT = (
    "昨天晚上我们一家人去看了一场精彩的足球比赛。",
    "这个问题其实并不复杂，只要认真分析就能找到答案。",
    "学校附近新开了一家书店，里面有很多外国小说。",
    "为了保护环境，市民们开始自觉进行垃圾分类。",
    "医院的护士告诉我，明天上午九点可以来拿检查报告。",
    "他每天早上六点起床，先跑步半小时，然后吃早饭。",
    "我們下個月要去日本旅行，已經訂好了機票和飯店。",
    "這間公司的產品品質很好，價格也相當合理。",
    "老師提醒大家，考試的時候一定要仔細檢查答案。",
    "颱風即將登陸，氣象局呼籲民眾做好防颱準備。",
    "明日は友達と一緒に映画を見に行く予定です。",
    "この町には古いお寺がたくさんあります。",
    "저는 매일 아침 커피를 한 잔 마십니다.",
    "주말에 가족과 함께 공원에 갔습니다.",
    "Le musée est fermé le lundi, à cause des travaux.",
    "Die Bäckerei öffnet um sieben Uhr früh.",
    "新版软件支持Windows和macOS，下载后即可安装。",
    "会议将在3楼的301室举行，请准时参加。",
)
