<?php
header('Content-Type: application/json');
header('Location: /items/1', true, 201);
echo json_encode(['received' => strlen(file_get_contents('php://input'))]);
