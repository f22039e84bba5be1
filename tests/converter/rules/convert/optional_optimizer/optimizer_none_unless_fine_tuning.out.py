import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

encoder, decoder = nn.Linear(4, 8), nn.Linear(8, 1)
fine_tune_encoder = False
encoder_optimizer = torch.optim.Adam(encoder.parameters()) if fine_tune_encoder else None
decoder_optimizer = torch.optim.Adam(decoder.parameters())
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
# TODO(t2l): T2L934 `encoder_optimizer = torch.optim.Adam(encoder.parameters()) if fine_tune_encoder else None` may be None: configure_optimizers must return every optimizer the steps use, and which exist is decided when the script runs; not converted
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.mse_loss(decoder(encoder(x)), y)
        decoder_optimizer.zero_grad()
        if encoder_optimizer is not None:
            encoder_optimizer.zero_grad()
        loss.backward()
        decoder_optimizer.step()
        if encoder_optimizer is not None:
            encoder_optimizer.step()
