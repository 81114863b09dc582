<?php
error_log('fail.php: the backend is down');
http_response_code(500);
echo "backend down\n";
