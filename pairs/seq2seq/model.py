"""What both sides of the seq2seq pair share: the GRU encoder-decoder with additive attention,
its hyper-parameters, greedy decoding and the epoch summary (validation loss and BLEU)."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torchmetrics.functional.text import bleu_score

from pairs.data import translation
from pairs.data.translation import PAD, SOS

EMBEDDING, HIDDEN = 64, 128
LEARNING_RATE = 3e-3
CLIP_NORM = 0.25  # small enough that clipping triggers on most steps (the check records the norms)
LR_DECAY = 0.8  # StepLR: lr *= 0.8 after every epoch


class Attention(nn.Module):
    """Additive (Bahdanau) attention: score(q, k) = v . tanh(W q + U k), masked where the source is padding."""

    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.query = nn.Linear(hidden, hidden, bias=False)
        self.key = nn.Linear(hidden, hidden)
        self.score = nn.Linear(hidden, 1, bias=False)

    def forward(self, query: Tensor, keys: Tensor, projected_keys: Tensor, mask: Tensor) -> Tensor:
        # query (B, H); keys, projected_keys (B, S, H); mask (B, S) True where there is a real token
        scores = self.score(torch.tanh(self.query(query).unsqueeze(1) + projected_keys)).squeeze(2)  # (B, S)
        weights = scores.masked_fill(~mask, float("-inf")).softmax(dim=1)  # (B, S)
        return torch.bmm(weights.unsqueeze(1), keys).squeeze(1)  # (B, H)


class Seq2Seq(nn.Module):
    def __init__(self, source_vocab: int, target_vocab: int) -> None:
        super().__init__()
        self.source_embedding = nn.Embedding(source_vocab, EMBEDDING, padding_idx=PAD)
        self.encoder = nn.GRU(EMBEDDING, HIDDEN, batch_first=True)
        self.target_embedding = nn.Embedding(target_vocab, EMBEDDING, padding_idx=PAD)
        self.attention = Attention(HIDDEN)
        self.decoder = nn.GRUCell(EMBEDDING + HIDDEN, HIDDEN)
        self.out = nn.Linear(2 * HIDDEN, target_vocab)

    @classmethod
    def for_corpus(cls, data: str) -> Seq2Seq:
        """Sized for the vocabularies of `data` ("embedded" or "full")."""
        corpus = translation.load(data)
        return cls(len(corpus.english), len(corpus.french))

    def encode(self, source: Tensor) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        keys, hidden = self.encoder(self.source_embedding(source))  # (B, S, H), (1, B, H)
        return keys, self.attention.key(keys), source != PAD, hidden.squeeze(0)

    def decode_step(self, token: Tensor, hidden: Tensor, keys, projected, mask) -> tuple[Tensor, Tensor]:
        context = self.attention(hidden, keys, projected, mask)  # (B, H)
        hidden = self.decoder(torch.cat([self.target_embedding(token), context], dim=1), hidden)  # (B, H)
        return self.out(torch.cat([hidden, context], dim=1)), hidden  # logits (B, V)

    def forward(self, source: Tensor, target: Tensor) -> Tensor:
        """Teacher forcing, always: step t reads the true token t-1. -> logits (B, T, V)."""
        keys, projected, mask, hidden = self.encode(source)
        token = torch.full_like(target[:, 0], SOS)
        logits = []
        for t in range(target.size(1)):  # the inner loop over time steps
            step_logits, hidden = self.decode_step(token, hidden, keys, projected, mask)
            logits.append(step_logits)
            token = target[:, t]
        return torch.stack(logits, dim=1)

    @torch.no_grad()
    def greedy(self, source: Tensor, max_len: int = translation.MAX_LEN) -> Tensor:
        """Greedy decoding: feed back the most likely token. -> ids (B, max_len)."""
        keys, projected, mask, hidden = self.encode(source)
        token = torch.full_like(source[:, 0], SOS)
        out = []
        for _ in range(max_len):
            step_logits, hidden = self.decode_step(token, hidden, keys, projected, mask)
            token = step_logits.argmax(dim=1)
            out.append(token)
        return torch.stack(out, dim=1)


def sequence_loss(logits: Tensor, target: Tensor) -> Tensor:
    """Cross-entropy per real target token; padding is ignored."""
    return F.cross_entropy(logits.flatten(0, 1), target.flatten(), ignore_index=PAD)


def texts(ids: Tensor, data: str) -> list[str]:
    vocab = translation.load(data).french
    return [" ".join(vocab.decode(row.tolist())) for row in ids]


def translate(model: Seq2Seq, sentence: str, data: str = "embedded") -> str:
    """English text -> French text; unknown words become <unk> rather than failing."""
    source = torch.tensor([translation.load(data).english.encode(translation.tokenize(sentence))])
    model.eval()
    return texts(model.greedy(source), data)[0]


def summarise(batches: list[dict[str, Any]]) -> dict[str, float]:
    """Validation: token-weighted mean loss, and corpus BLEU of the greedy translations (torchmetrics)."""
    tokens = sum(int(b["tokens"]) for b in batches)
    loss = sum(float(b["loss"]) * int(b["tokens"]) for b in batches) / tokens
    hypotheses = [h for b in batches for h in b["hypotheses"]]
    references = [[r] for b in batches for r in b["references"]]
    return {"val_loss": loss, "val_bleu": float(bleu_score(hypotheses, references, n_gram=2))}

