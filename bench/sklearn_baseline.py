"""scikit-learn baseline for the `chorus-vs-sklearn` benchmark.

Reads Stanford's aclImdb_v1.tar.gz straight from the archive (nothing is extracted), fits TF-IDF over word
uni+bigrams (sublinear tf, as Chorus) and a logistic regression on the 25,000 training reviews, scores the 25,000
test reviews, and prints one JSON object with the accuracy and the time of each phase.

Usage: python3 bench/sklearn_baseline.py PATH/aclImdb_v1.tar.gz
"""
import json
import re
import sys
import tarfile
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score

REVIEW = re.compile(r"^aclImdb/(train|test)/(pos|neg)/\d+_\d+\.txt$")
LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def read_archive(path):
    splits = {"train": ([], []), "test": ([], [])}
    with tarfile.open(path, "r:gz") as archive:
        for member in archive:
            match = REVIEW.match(member.name)
            if not member.isfile() or not match:
                continue
            texts, labels = splits[match.group(1)]
            raw = archive.extractfile(member).read().decode("utf-8")
            texts.append(LINE_BREAK.sub(" ", raw))
            labels.append(1 if match.group(2) == "pos" else 0)
    return splits


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: sklearn_baseline.py ARCHIVE")
    clock = time.perf_counter()
    splits = read_archive(sys.argv[1])
    read_s = time.perf_counter() - clock

    clock = time.perf_counter()
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    train_x = vectorizer.fit_transform(splits["train"][0])
    test_x = vectorizer.transform(splits["test"][0])
    featurize_s = time.perf_counter() - clock

    clock = time.perf_counter()
    model = LogisticRegression(C=10, solver="liblinear", max_iter=1000)
    model.fit(train_x, splits["train"][1])
    fit_s = time.perf_counter() - clock

    clock = time.perf_counter()
    scores = model.predict_proba(test_x)[:, 1]
    test_y = splits["test"][1]
    accuracy = accuracy_score(test_y, scores >= 0.5)
    auc = roc_auc_score(test_y, scores)
    evaluate_s = time.perf_counter() - clock

    print(json.dumps({
        "train": len(splits["train"][0]),
        "test": len(test_y),
        "features": len(vectorizer.vocabulary_),
        "accuracy": accuracy,
        "auc": auc,
        "seconds": {"read": read_s, "featurize": featurize_s, "fit": fit_s, "evaluate": evaluate_s},
    }))


if __name__ == "__main__":
    main()
