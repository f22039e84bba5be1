import argparse

import pytorch_lightning as pl


class LitModel(pl.LightningModule):
    @staticmethod
    def add_argparse_args(parent_parser):
        parser = argparse.ArgumentParser(parents=[parent_parser], add_help=False)
        parser.add_argument("--lr", type=float, default=0.02)
        return parser


class MNISTDataModule(pl.LightningDataModule):
    def __init__(self, batch_size=32):
        super().__init__()
        self.batch_size = batch_size


parser = argparse.ArgumentParser()
parser = LitModel.add_argparse_args(parser)
parser = MNISTDataModule.add_argparse_args(parser)
args = parser.parse_args([])
model = LitModel()
print(args.lr)
