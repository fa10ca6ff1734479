# "Learning PyTorch with Examples": Tensors and autograd (polynomial_autograd.py), with fixed
# initial values instead of torch.randn so that tensorbook starts from the same numbers.
import torch
import math

dtype = torch.float
device = "cpu"
torch.set_default_device(device)

# Create Tensors to hold input and outputs.
x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
y = torch.sin(x)

# Tensors for weights, with requires_grad=True: autograd computes their gradients.
a = torch.tensor(-0.3, dtype=dtype, requires_grad=True)
b = torch.tensor(0.6, dtype=dtype, requires_grad=True)
c = torch.tensor(0.25, dtype=dtype, requires_grad=True)
d = torch.tensor(-0.4, dtype=dtype, requires_grad=True)

learning_rate = 1e-6
for t in range(2000):
    # Forward pass: compute predicted y using operations on Tensors.
    y_pred = a + b * x + c * x ** 2 + d * x ** 3

    # Compute and print loss using operations on Tensors.
    loss = (y_pred - y).pow(2).sum()
    if t % 100 == 99:
        print(t, loss.item())

    # Use autograd to compute the backward pass.
    loss.backward()

    # Manually update weights using gradient descent, without tracking it.
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad

        # Manually zero the gradients after updating weights
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None

print(f'Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3')
