"""A generative classifier: Gaussian class-conditionals p(x|y) and class priors p(y), then Bayes' rule.

    p(y=k | x) = p(x | y=k) p(y=k) / sum_j p(x | y=j) p(y=j),   p(x | y=k) = N(x; mu_k, Sigma_k)

With one covariance shared by all classes the log-ratio of two classes is linear in x: linear
discriminant analysis (LDA). With a covariance per class it is quadratic: QDA. Fitting is closed form
(maximum likelihood: class frequencies, class means, class scatter), so it needs no training loop. Because
it models how x is made, it also gives the density p(x) = sum_k p(y=k) p(x|y=k) and can draw new points.
All arithmetic is float64.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class GaussianClassifier:
    """Fitted parameters: priors (K,), means (K, D), covariances (K, D, D) (all equal when ``shared``)."""

    priors: torch.Tensor
    means: torch.Tensor
    covs: torch.Tensor
    shared: bool

    @property
    def name(self) -> str:
        return "lda" if self.shared else "qda"

    @classmethod
    def fit(cls, x: torch.Tensor, y: torch.Tensor, n_classes: int, shared: bool,
            reg: float = 1e-2) -> "GaussianClassifier":
        """Maximum-likelihood fit on points x (N, D) with labels y (N,).

        ``reg`` is added to every covariance's diagonal, so one or two points per class still give an
        invertible matrix."""
        x, y = x.double(), y.long()
        counts = torch.bincount(y, minlength=n_classes)  # (K,)
        if (counts == 0).any():
            missing = ", ".join(str(int(k)) for k in torch.nonzero(counts == 0).flatten())
            raise ValueError(f"every class needs at least one training point; none for class {missing}")
        priors = counts.double() / len(y)
        onehot = torch.nn.functional.one_hot(y, n_classes).double()  # (N, K)
        means = (onehot.T @ x) / counts[:, None]  # (K, D)
        centred = x - means[y]  # (N, D)
        scatter = torch.einsum("nk,ni,nj->kij", onehot, centred, centred)  # (K, D, D) per-class sums
        if shared:  # pooled: one covariance for all classes (MLE divides by N)
            covs = (scatter.sum(0) / len(y)).expand(n_classes, -1, -1).clone()
        else:
            covs = scatter / counts[:, None, None]
        covs = covs + reg * torch.eye(x.shape[1], dtype=torch.float64)
        return cls(priors, means, covs, shared)

    def log_likelihood(self, x: torch.Tensor) -> torch.Tensor:
        """log N(x; mu_k, Sigma_k) for points x (N, D): (N, K)."""
        x = x.double()
        chol = torch.linalg.cholesky(self.covs)  # (K, D, D), Sigma = L L^T
        diff = (x[:, None, :] - self.means[None]).transpose(0, 1).unsqueeze(-1)  # (K, N, D, 1)
        sol = torch.linalg.solve_triangular(chol[:, None], diff, upper=False).squeeze(-1)  # (K, N, D) = L^-1 (x-mu)
        maha = (sol ** 2).sum(-1)  # (K, N) squared Mahalanobis distance
        logdet = 2 * torch.log(torch.diagonal(chol, dim1=-2, dim2=-1)).sum(-1)  # (K,) log |Sigma_k|
        d = x.shape[1]
        return (-0.5 * (maha + logdet[:, None] + d * math.log(2 * math.pi))).T  # (N, K)

    def log_joint(self, x: torch.Tensor) -> torch.Tensor:
        """log p(x, y=k) = log p(x|y=k) + log p(y=k): (N, K)."""
        return self.log_likelihood(x) + torch.log(self.priors)[None]

    def predict_proba(self, x: torch.Tensor) -> torch.Tensor:
        """Bayes' rule: p(y=k|x) = p(x, y=k) / p(x), (N, K) float64."""
        return torch.softmax(self.log_joint(x), dim=1)

    def log_density(self, x: torch.Tensor) -> torch.Tensor:
        """log p(x) = log sum_k p(x, y=k): how typical a point is under the model, (N,)."""
        return torch.logsumexp(self.log_joint(x), dim=1)

    def sample(self, n: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """New points from the fitted model: y ~ p(y), then x = mu_y + L_y eps with eps ~ N(0, I).

        Returns x (n, D) float64 and y (n,) int64."""
        y = torch.multinomial(self.priors, n, replacement=True, generator=generator)  # (n,)
        eps = torch.randn(n, self.means.shape[1], generator=generator, dtype=torch.float64)  # (n, D)
        chol = torch.linalg.cholesky(self.covs)  # (K, D, D)
        x = self.means[y] + torch.einsum("nij,nj->ni", chol[y], eps)
        return x, y
