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
# TODO(t2l): T2L956 MNISTDataModule.add_argparse_args was removed in 2.0: add the arguments of MNISTDataModule.__init__ with parser.add_argument, or use LightningCLI
pass
args = parser.parse_args([])
model = LitModel()
print(args.lr)
