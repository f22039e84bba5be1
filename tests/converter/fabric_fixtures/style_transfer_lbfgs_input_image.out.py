# t2l-fixture: verify --steps 100
"""Neural-style shape: the input image is optimized (LBFGS over [input_img]), content/style losses from a frozen
network, a closure that clamps the image and counts steps in a list, `while run[0] <= num_steps`."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)


def gram_matrix(input):
    a, b, c, d = input.size()
    features = input.view(a * b, c * d)
    G = torch.mm(features, features.t())
    return G.div(a * b * c * d)


cnn = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 4, 3, padding=1)).eval()
for p in cnn.parameters():
    p.requires_grad_(False)
content_img = torch.rand(1, 3, 16, 16)
style_img = torch.rand(1, 3, 16, 16)
input_img = content_img.clone()
content_target = cnn(content_img).detach()
style_target = gram_matrix(cnn(style_img)).detach()


def run_style_transfer(input_img, num_steps=20, style_weight=1000000, content_weight=1):
    input_img.requires_grad_(True)
    optimizer = optim.LBFGS([input_img])
    optimizer = fabric.setup_optimizers(optimizer)
    run = [0]
    while run[0] <= num_steps:

        def closure():
            with torch.no_grad():
                input_img.clamp_(0, 1)
            optimizer.zero_grad()
            features = cnn(input_img)
            style_score = F.mse_loss(gram_matrix(features), style_target) * style_weight
            content_score = F.mse_loss(features, content_target) * content_weight
            loss = style_score + content_score
            fabric.backward(loss)
            run[0] += 1
            if run[0] % 10 == 0:
                fabric.print(f"run {run}: Style Loss : {style_score.item():4f} Content Loss: {content_score.item():4f}")
            return style_score + content_score

        optimizer.step(closure)
    with torch.no_grad():
        input_img.clamp_(0, 1)
    return input_img


output = run_style_transfer(input_img)
fabric.print(output.mean().item())
