"""Invented dataset files in the real datasets' layouts, written at test time (see ``write_datasets``).

The readers' tests need the real folder and file names (article1001.txt, *subtask-3*, CT24_*, …), but a
committed file with such a name looks like a dataset leak; so the tree lives here and is written into a
temporary folder. Every text is made up for the tests. Byte-exact details the readers must cope with are
kept on purpose: byte-order marks, CRLF line ends, a lone-space line, a missing final newline, an empty
span file, a macOS ``._`` resource-fork file, and the SemEval-2023 typo ``Appeal_to_Fear-Prejudi-čce``.
"""

from __future__ import annotations

from pathlib import Path

# Article texts that several datasets or subtask folders share.
NEWSMTSC_TRAIN = (
    '{"primary_gid": "s1", "sentence_normalized": "Senator Vale praised the new budget, and she called it fair.", "targets": [{"Input.gid": "s1_t1", "from": 0, "to": 12, "mention": "Senator Vale", "polarity": 6.0, "further_mentions": [{"from": 41, "to": 44, "mention": "she"}]}]}\n'
    '{"primary_gid": "s2", "sentence_normalized": "The governor blamed Mayor Ortiz for the delays.", "targets": [{"Input.gid": "s2_t1", "from": 0, "to": 12, "mention": "The governor", "polarity": 4.0}, {"Input.gid": "s2_t2", "from": 20, "to": 31, "mention": "Mayor Ortiz", "polarity": 2.0}]}\n'
)
STORM = (
    "Storm closes the harbour\n"
    "\n"
    "Boats stayed in port all week.\n"
)
FESTIVAL = (
    "Festival draws record crowds\n"
    "\n"
    "Organisers counted more visitors than ever.\n"
)
BRIDGE = (
    "Council votes to rebuild the old bridge\n"
    "\n"
    "The council voted on Tuesday to rebuild the bridge.\n"
    "\n"
    "Critics called the plan a reckless waste of money.\n"
)
TRAINS = (
    "Trains run late again\n"
    "\n"
    "Commuters waited an hour.\n"
)
MAYOR_BOM = (
    "\ufeffMayor promises cleaner streets\n"
    "\n"
    "The mayor said the streets would be clean by spring.\n"
    " \n"
    "Only a fool would doubt her.\n"
)
TITULAR = (
    "Titular\n"
    "\n"
    "Una frase.\n"
)
CONSEIL = (
    "Le conseil se divise\n"
    "\n"
    "La premiere seance fut calme.\n"
    "\n"
    "Une honte absolue, disent les voisins.\n"
)
HALE_CRLF = (
    "Minister Hale defends plan\r\n"
    "\r\n"
    "Hale said the plan protects jobs.\r\n"
)
SATO_CRLF = (
    "Port strike ends\r\n"
    "\r\n"
    "Union leader Sato thanked the workers.\r\n"
)

# Path under the data root -> the file's exact content.
FILES = {
    "causal-news-corpus/data/V2/dev_subtask1.csv": (
        "\ufeffindex,text,label\n"
        "train_09_0_1,Workers struck because wages were cut .,1\n"
    ),
    "causal-news-corpus/data/V2/dev_subtask2_grouped.csv": (
        "\ufeffcorpus,doc_id,sent_id,eg_id,index,text,causal_text_w_pairs,num_rs\n"
        "cnc,train_09_0,1,0,cnc_train_09_0_1_0,Workers struck because wages were cut .,\"['<ARG1>Workers struck</ARG1> <SIG0>because</SIG0> <ARG0>wages were cut</ARG0> .']\",1\n"
    ),
    "causal-news-corpus/data/V2/test_subtask1_text.csv": (
        "\ufeffindex,text\n"
        "test_01_A_0_3,Students marched to the council on Monday .\n"
    ),
    "causal-news-corpus/data/V2/test_subtask2_text.csv": (
        "\ufeffcorpus,doc_id,sent_id,eg_id,index,text,causal_text_w_pairs,num_rs\n"
        "cnc,test_01_A_0,3,0,cnc_test_01_A_0_3_0,Students marched to the council on Monday .,,\n"
    ),
    "causal-news-corpus/data/V2/train_subtask1.csv": (
        "\ufeffindex,text,label\n"
        "train_01_0_5,Workers struck because wages were cut .,1\n"
        "train_01_1_6,Students marched to the council on Monday .,0\n"
        'train_02_0_7,"Police arrested ten people after the rally turned violent , which led to protests .",1\n'
    ),
    "causal-news-corpus/data/V2/train_subtask2_grouped.csv": (
        "\ufeffcorpus,doc_id,sent_id,eg_id,index,text,causal_text_w_pairs,num_rs\n"
        "cnc,train_01_0,5,0,cnc_train_01_0_5_0,Workers struck because wages were cut .,\"['<ARG1>Workers struck</ARG1> <SIG0>because</SIG0> <ARG0>wages were cut</ARG0> .']\",1\n"
        "cnc,train_01_1,6,0,cnc_train_01_1_6_0,Students marched to the council on Monday .,[],0\n"
        "cnc,train_02_0,7,0,cnc_train_02_0_7_0,\"Police arrested ten people after the rally turned violent , which led to protests .\",\"['<ARG1>Police arrested ten people</ARG1> <SIG0>after</SIG0> <ARG0>the rally turned violent</ARG0> , which led to protests .', 'Police arrested ten people after <ARG0>the rally turned violent</ARG0> , <SIG0>which</SIG0> <SIG1>led to</SIG1> <ARG1>protests</ARG1> .']\",2\n"
    ),
    "checkthat2024-task1-english/CT24_checkworthy_english/CT24_checkworthy_english_dev-test.tsv": (
        "Sentence_id\tText\tclass_label\r\n"
        "301\tGood evening, everyone.\tNo\r\n"
    ),
    "checkthat2024-task1-english/CT24_checkworthy_english/CT24_checkworthy_english_dev.tsv": (
        "Sentence_id\tText\tclass_label\r\n"
        "201\tUnemployment fell to 4 percent.\tYes\r\n"
        '202\t"Well, ""maybe"" we should talk."\tNo\r\n'
    ),
    "checkthat2024-task1-english/CT24_checkworthy_english/CT24_checkworthy_english_test_gold.tsv": (
        "Sentence_id\tText\tclass_label\n"
        "401\tThe deficit doubled in four years.\tYes\n"
    ),
    "checkthat2024-task1-english/CT24_checkworthy_english/CT24_checkworthy_english_train.tsv": (
        "Sentence_id\tText\tclass_label\n"
        "101\tWe cut taxes for 40 million families.\tYes\n"
        '102\t"I said, ""thank you,"" and sat down."\tNo\n'
    ),
    "newsmtsc/NewsMTSC-dataset/train.jsonl": NEWSMTSC_TRAIN,
    "newsmtsc/experiments-datasets/newsmtsc-mt/dev.jsonl": '{"primary_gid": "mtd1", "sentence_normalized": "Critics said Judge Marsh was careless.", "targets": [{"Input.gid": "mtd1_t1", "from": 13, "to": 24, "mention": "Judge Marsh", "polarity": 2.0}]}\n',
    "newsmtsc/experiments-datasets/newsmtsc-mt/test.jsonl": '{"primary_gid": "mtt1", "sentence_normalized": "Fans cheered Coach Reyes after the win.", "targets": [{"Input.gid": "mtt1_t1", "from": 13, "to": 24, "mention": "Coach Reyes", "polarity": 6.0}]}\n',
    "newsmtsc/experiments-datasets/newsmtsc-mt/train.jsonl": NEWSMTSC_TRAIN,
    "newsmtsc/experiments-datasets/newsmtsc-rw/dev.jsonl": '{"primary_gid": "rwd1", "sentence_normalized": "Critics said Judge Marsh was careless.", "targets": [{"Input.gid": "rwd1_t1", "from": 13, "to": 24, "mention": "Judge Marsh", "polarity": 2.0}]}\n',
    "newsmtsc/experiments-datasets/newsmtsc-rw/test.jsonl": '{"primary_gid": "rwt1", "sentence_normalized": "Fans cheered Coach Reyes after the win.", "targets": [{"Input.gid": "rwt1_t1", "from": 13, "to": 24, "mention": "Coach Reyes", "polarity": 6.0}]}\n',
    "newsmtsc/experiments-datasets/newsmtsc-rw/train.jsonl": NEWSMTSC_TRAIN,
    "ptc-semeval2020-task11/datasets/dev-articles/article1002.txt": (
        "Mayor promises cleaner streets\n"
        "\n"
        "The mayor said the streets would be clean by spring.\n"
        " \n"
        "Only a fool would doubt her.\n"
    ),
    "ptc-semeval2020-task11/datasets/dev-task-flc-tc.labels": "1002\tName_Calling,Labeling\t92\t98\n",
    "ptc-semeval2020-task11/datasets/dev-task-si.labels": "1002\t92\t98\n",
    "ptc-semeval2020-task11/datasets/test-articles/article2001.txt": STORM,
    "ptc-semeval2020-task11/datasets/test-articles/article2002.txt": FESTIVAL,
    "ptc-semeval2020-task11/datasets/test-task-tc-template.out": "2002\t?\t15\t28\n",
    "ptc-semeval2020-task11/datasets/train-articles/article1001.txt": BRIDGE,
    "ptc-semeval2020-task11/datasets/train-articles/article1003.txt": (
        "Quiet day at the market\n"
        "\n"
        "Nothing happened.\n"
    ),
    "ptc-semeval2020-task11/datasets/train-task-flc-tc.labels": (
        "1001\tLoaded_Language\t120\t134\n"
        "1001\tDoubt\t120\t134\n"
    ),
    "ptc-semeval2020-task11/datasets/train-task-si.labels": "1001\t120\t134\n",
    "ptc-semeval2020-task11/propaganda-techniques-scorer/data/propaganda-techniques-names-semeval2020task11.txt": (
        "Loaded_Language\n"
        "Name_Calling,Labeling\n"
        "Doubt\n"
    ),
    "semeval2023-task3/data/en/dev-articles-subtask-1/article2002.txt": FESTIVAL,
    "semeval2023-task3/data/en/dev-articles-subtask-2/article2002.txt": FESTIVAL,
    "semeval2023-task3/data/en/dev-articles-subtask-3/article2001.txt": STORM,
    "semeval2023-task3/data/en/dev-articles-subtask-3/article2002.txt": FESTIVAL,
    "semeval2023-task3/data/en/dev-labels-subtask-1.txt": "2002\treporting\n",
    "semeval2023-task3/data/en/dev-labels-subtask-2.txt": "2002\tEconomic\n",
    "semeval2023-task3/data/en/dev-labels-subtask-3-spans/article2001-labels-subtask-3.txt": "",
    "semeval2023-task3/data/en/dev-labels-subtask-3-spans/article2002-labels-subtask-3.txt": "2002\tLoaded_Language\t15\t28\n",
    "semeval2023-task3/data/en/dev-labels-subtask-3.txt": (
        "2001\t1\t\n"
        "2001\t3\t\n"
        "2002\t1\tLoaded_Language\n"
        "2002\t3\t\n"
    ),
    "semeval2023-task3/data/en/test-articles-subtask-1/article3001.txt": TRAINS,
    "semeval2023-task3/data/en/test-articles-subtask-2/article3001.txt": TRAINS,
    "semeval2023-task3/data/en/test-articles-subtask-3/article3001.txt": TRAINS,
    "semeval2023-task3/data/en/test-labels-subtask-3.template": (
        "3001\t1\tTrains run late again\n"
        "3001\t3\tCommuters waited an hour.\n"
    ),
    "semeval2023-task3/data/en/train-articles-subtask-1/article1001.txt": BRIDGE,
    "semeval2023-task3/data/en/train-articles-subtask-1/article1002.txt": MAYOR_BOM,
    "semeval2023-task3/data/en/train-articles-subtask-1/article2001.txt": STORM,
    "semeval2023-task3/data/en/train-articles-subtask-2/article1001.txt": BRIDGE,
    "semeval2023-task3/data/en/train-articles-subtask-2/article1002.txt": MAYOR_BOM,
    "semeval2023-task3/data/en/train-articles-subtask-2/article2001.txt": STORM,
    "semeval2023-task3/data/en/train-articles-subtask-3/._article1001.txt": "macOS resource fork junk\n",
    "semeval2023-task3/data/en/train-articles-subtask-3/article1001.txt": BRIDGE,
    "semeval2023-task3/data/en/train-articles-subtask-3/article1002.txt": MAYOR_BOM,
    "semeval2023-task3/data/en/train-labels-subtask-1.txt": (
        "1001\topinion\n"
        "1002\treporting\n"
        "2001\tsatire\n"
    ),
    "semeval2023-task3/data/en/train-labels-subtask-2.txt": (
        "1001\tEconomic,Political\n"
        "1002\t\n"
        "2001\tMorality\n"
    ),
    "semeval2023-task3/data/en/train-labels-subtask-3-spans/article1001-labels-subtask-3.txt": (
        "1001\tLoaded_Language\t120\t134\n"
        "1001\tAppeal_to_Fear-Prejudi-čce\t94\t143\n"
    ),
    "semeval2023-task3/data/en/train-labels-subtask-3-spans/article1002-labels-subtask-3.txt": (
        "1002\tName_Calling-Labeling\t93\t99\n"
        "1002\tDoubt\t60\t84\n"
    ),
    "semeval2023-task3/data/en/train-labels-subtask-3.txt": (
        "1001\t1\t\n"
        "1001\t3\t\n"
        "1001\t5\tLoaded_Language,Appeal_to_Fear-Prejudi-čce\n"
        "1002\t1\t\n"
        "1002\t3\tDoubt\n"
        "1002\t5\tName_Calling-Labeling\n"
    ),
    "semeval2023-task3/data/es/test-articles-subtask-1/article7001.txt": TITULAR,
    "semeval2023-task3/data/es/test-articles-subtask-3/article7001.txt": TITULAR,
    "semeval2023-task3/data/fr/train-articles-subtask-1/article5001.txt": CONSEIL,
    "semeval2023-task3/data/fr/train-articles-subtask-3/article5001.txt": CONSEIL,
    "semeval2023-task3/data/fr/train-labels-subtask-1.txt": "5001\topinion\n",
    "semeval2023-task3/data/fr/train-labels-subtask-3-spans/article5001-labels-subtask-3.txt": (
        "5001\tDoubt\t43\t52\n"
        "5001\tLoaded_Language\t61\t74\n"
    ),
    "semeval2023-task3/data/fr/train-labels-subtask-3.txt": (
        "5001\t1\t\n"
        "5001\t3\tDoubt\n"
        "5001\t5\tLoaded_Language\n"
    ),
    "semeval2023-task3/scorers/frames_subtask2.txt": (
        "Economic\n"
        "Capacity_and_resources\n"
        "Morality\n"
        "Political\n"
    ),
    "semeval2023-task3/scorers/techniques_subtask3.txt": (
        "Loaded_Language\n"
        "Name_Calling-Labeling\n"
        "Doubt\n"
        "Appeal_to_Fear-Prejudice\n"
    ),
    "semeval2025-task10/cleaned_dev_10_january_2025/EN/subtask-1-annotations.txt": "EN_UA_DEV_1.txt\tHale\t30\t33\tProtagonist\tGuardian\r\n",
    "semeval2025-task10/cleaned_dev_10_january_2025/EN/subtask-1-documents/EN_UA_DEV_1.txt": HALE_CRLF,
    "semeval2025-task10/cleaned_dev_10_january_2025/EN/subtask-1-entity-mentions.txt": "EN_UA_DEV_1.txt\tHale\t30\t33\r\n",
    "semeval2025-task10/cleaned_dev_10_january_2025/EN/subtask-2-annotations.txt": (
        "EN_UA_DEV_1.txt\tURW: Discrediting Ukraine\tURW: Discrediting Ukraine: Other\r\n"
        "EN_CC_DEV_2.txt\tCC: Amplifying Climate Fears\tCC: Amplifying Climate Fears: Doomsday scenarios for humans\r\n"
    ),
    "semeval2025-task10/cleaned_dev_10_january_2025/EN/subtask-2-documents/EN_CC_DEV_2.txt": (
        "Heat records\r\n"
        "\r\n"
        "Scientists warn of hotter summers.\r\n"
    ),
    "semeval2025-task10/cleaned_dev_10_january_2025/EN/subtask-2-documents/EN_UA_DEV_1.txt": HALE_CRLF,
    "semeval2025-task10/cleaned_dev_10_january_2025/EN/subtask-3-annotations.txt": "EN_UA_DEV_1.txt\tURW: Discrediting Ukraine\tnone\tHale is shown as reliable.\r\n",
    "semeval2025-task10/cleaned_dev_10_january_2025/EN/subtask-3-documents/EN_UA_DEV_1.txt": HALE_CRLF,
    "semeval2025-task10/cleaned_dev_10_january_2025/EN/subtask-3-dominant-narratives.txt": "EN_UA_DEV_1.txt\tURW: Discrediting Ukraine\tnone\r\n",
    "semeval2025-task10/semeval2025task10-scorers-baselines/subtask2_narratives.txt": (
        "CC: Criticism of climate movement\n"
        "Other\n"
        "URW: Discrediting Ukraine"
    ),
    "semeval2025-task10/semeval2025task10-scorers-baselines/subtask2_subnarratives.txt": (
        "CC: Criticism of climate movement: Ad hominem attacks on key activists\n"
        "Other\n"
        "URW: Discrediting Ukraine: Other\n"
    ),
    "semeval2025-task10/target_4_December_release/EN/raw-documents/EN_CC_100.txt": (
        "Activist Lund flies to summit\n"
        "\n"
        "The activist Lund took a private jet, critics said.\n"
    ),
    "semeval2025-task10/target_4_December_release/EN/raw-documents/EN_UA_200.txt": (
        "Markets calm\n"
        "\n"
        "Nothing to report today.\n"
    ),
    "semeval2025-task10/target_4_December_release/EN/subtask-1-annotations.txt": "EN_CC_100.txt\tLund\t44\t47\tAntagonist\tDeceiver\tTyrant\n",
    "semeval2025-task10/target_4_December_release/EN/subtask-2-annotations.txt": (
        "EN_CC_100.txt\tCC: Criticism of climate movement;CC: Criticism of climate movement\tCC: Criticism of climate movement: Ad hominem attacks on key activists;CC: Criticism of climate movement: Other\n"
        "EN_UA_200.txt\tOther\tOther\n"
    ),
    "semeval2025-task10/target_4_December_release/EN/subtask-3-annotations.txt": "EN_CC_100.txt\tCC: Criticism of climate movement\tCC: Criticism of climate movement: Ad hominem attacks on key activists\tThe text paints the activist as a hypocrite.\n",
    "semeval2025-task10/target_4_December_release/RU/raw-documents/RU-URW-1195.txt": (
        "Новости\n"
        "\n"
        "Москва ответила.\n"
    ),
    "semeval2025-task10/taxonomy/entity-framing-taxonomy.json": '{"name": "Entity Framing", "children": [{"name": "Protagonist", "children": [{"name": "Guardian"}, {"name": "Martyr"}]}, {"name": "Antagonist", "children": [{"name": "Tyrant"}, {"name": "Deceiver"}]}, {"name": "Innocent", "children": [{"name": "Victim"}]}]}',
    "semeval2025-task10/testdata_ST12/EN/subtask-1-documents/EN_TEST_1.txt": SATO_CRLF,
    "semeval2025-task10/testdata_ST12/EN/subtask-1-entity-mentions.txt": "EN_TEST_1.txt\tSato\t33\t36\r\n",
    "semeval2025-task10/testdata_ST12/EN/subtask-2-documents/EN_TEST_1.txt": SATO_CRLF,
    "semeval2025-task10/testdata_ST12/EN/subtask-2-documents/EN_TEST_2.txt": (
        "Quiet week\r\n"
        "\r\n"
        "Little news.\r\n"
    ),
    "semeval2025-task10/training_data_RU_final_19_January_2025_release/RU/raw-documents/RU-URW-1.txt": (
        "Заголовок\n"
        "\n"
        "Киев снова обвинил Москву.\n"
    ),
    "semeval2025-task10/training_data_RU_final_19_January_2025_release/RU/raw-documents/RU-URW-2.txt": (
        "\ufeffНовости\n"
        "\n"
        "Москва ответила.\n"
    ),
    "semeval2025-task10/training_data_RU_final_19_January_2025_release/RU/subtask-1-annotations.txt": (
        "RU-URW-1.txt\tМоскву\t32\t37\tInnocent\tVictim\n"
        "RU-URW-2.txt\tМосква\t10\t15\tProtagonist\tGuardian\n"
    ),
    "semeval2025-task10/training_data_RU_final_19_January_2025_release/RU/subtask-2-annotations.txt": (
        "RU-URW-1.txt\tURW: Discrediting Ukraine\tURW: Discrediting Ukraine: Other\n"
        "RU-URW-2.txt\tOther\tOther\n"
    ),
    "semeval2025-task10/training_data_RU_final_19_January_2025_release/RU/subtask-3-annotations.txt": "RU-URW-1.txt\tURW: Discrediting Ukraine\tnone\tКиев обвиняет.\n",
    "webis-editorials-16-coling20-subset/data-source/aljazeera/001-bridgesmatter.json": '{"paragraphs": [[{"number": 1, "text": "Bridges matter.", "label": "title"}], [{"number": 2, "text": "The old bridge carried 20,000 cars a day", "label": "statistics"}, {"number": 3, "text": ".", "label": "no-unit"}, {"number": 4, "text": "It should have been replaced years ago", "label": "assumption"}, {"number": 5, "text": ".", "label": "no-unit"}]]}',
    "webis-editorials-16-coling20-subset/data-source/foxnews/001-taxday.json": '{"paragraphs": [[{"number": 1, "text": "Tax day.", "label": "title"}], [{"number": 2, "text": "Last April I filed late", "label": "anecdote"}, {"number": 3, "text": ".", "label": "no-unit"}]]}',
    "webis-editorials-16-coling20-subset/data-source/guardian/001-rainyseason.json": '{"paragraphs": [[{"number": 1, "text": "Rainy season.", "label": "title"}], [{"number": 2, "text": "As the minister put it, rain is coming", "label": "testimony"}, {"number": 3, "text": ".", "label": "no-unit"}]]}',
}


def write_datasets(root: Path) -> Path:
    """Write every file of ``FILES`` under ``root`` (UTF-8, line ends exactly as given) and return ``root``."""
    for relative, text in FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return root
