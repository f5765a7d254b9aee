import NNSwift
print("nnswift")
