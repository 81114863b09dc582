<?php
header('Content-Type: text/plain');
echo "method=", $_SERVER['REQUEST_METHOD'], " query=", $_SERVER['QUERY_STRING'] ?? '', "\n";
